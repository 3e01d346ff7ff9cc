"""Mini news sites end to end: thirty-two small sites in the markup of real CMSs, read by the real `newsroom ingest`.

tests/fixtures/minisites holds a French WordPress site (Yoast and Rank Math markup, comments, « Lire aussi », a page
dated only in its text), an English Arc-like daily (JSON-LD, "By X, Senior Reporter", an "Updated" time, `?itid=`
links, pages without a canonical link), a Le Monde-like daily (`article:published_time`, « Lire aussi | »,
signatures « X et Y (avec AFP) »), newsletters (Substack, a Medium page reached only through a Google News-style
aggregator feed that also lists the daily's stories), and, built after the first fixes as a holdout, a Drupal
regional daily (clean URLs, logins as feed authors, multi-value author fields) and a Ghost newsletter. A second holdout,
built before any change for it, adds a Guardian-like daily (dates shown as "Thu 3 Dec 2026 14.05 GMT" with "Last
modified on …", a feed dated by the last modification, a blog page whose headline is an `<h2 class="entry-title">`), a
French regional daily on a Sophi-like CMS (« Publié le 3 déc. 2026 à 14h05, mis à jour à 15h10 », « Par X et Y ») and
a Hugo blog (a footer's `<time datetime>`, company tags, an Atom feed with relative links and one author for the
feed). A third holdout, also built before any change for it, adds a French business daily on a styled-components
CMS (a subscribers-only page showing its first paragraphs, dates shown only as « Publié le 04/12/2026 à 09:30 · Mis à
jour le … », `rel="author"` links), an English trade-press site (standfirst, "By X · 4 Dec 2026 · 3 min read", pull
quotes, "Related stories" inside the body, a closing "®") and a French wire whose RSS 1.0 feed gives only `dc:date`
and `dc:creator` (« PARIS, 4 décembre (Reuters) - », the reporter named only in the closing credits). A fourth
holdout, built before any change for it, adds a German tech site (a language with no entity or tone model: its
articles must still be stored, in German, with their companies), an English daily's live blog ("Key events" linking
to its own updates, updates as `<article>`s) beside a story, and a French regional daily dated only relative to the
moment it is served (« Publié hier à 18h05 »: the sites are served with a fixed `Date` header, SERVED_ON), with
readers' comments and a live page. A fifth holdout, built before any change for it, adds a Business Wire-like release
wire (« ROUBAIX, France--(BUSINESS WIRE)--Regulatory News: », « À propos de … » and contacts after the story, a time
shown as "03:30 AM Eastern Standard Time"), an AMP edition (a story whose feed links its AMP copy, and a web story in
`<amp-story>` slides) and a podcast's episode pages (host, chapters, credits, a transcript shown or folded in
`<details>`: the episode's words, so the story's). A sixth holdout, built before any change for it, adds a French public
body's Drupal press room (DSFR markup: breadcrumbs, « Communiqué de presse » tags, PDF downloads, a press contact, a
date field printed as noon UTC), a French business weekly's interviews on WordPress (questions in bold with « — »
answers, or as headings; « Propos recueillis par », a pull quote) and an English daily's photo galleries whose captions
are the story (figcaptions with counters and credits, or a slideshow's `<div>` captions). A seventh holdout, built before
any change for it, adds a Beehiiv newsletter's issues (several short stories in one post with its contents list, a
sponsor's block, a poll and a referral box), a French regional daily on a big CMS (« À lire aussi » and « Abonnez-vous »
boxes inside the body, a video player, an author box « Par … Publié le … Modifié le … »; a page dated only by its
JSON-LD `dateModified` and « Publié il y a 3 heures ») and a company's own newsroom in English (highlights, « About
X » boilerplate, forward-looking statements, contacts, "# # #"). An eighth holdout, built before any change for it, adds
a French startup-news site on WordPress and Elementor (a fundraising fact box and a weekly round-up whose table is the
story, « À lire aussi », a partner's card), a public broadcaster's radio and TV pages (an audio player, « Article rédigé
par France 3 Occitanie - L. Garnier, T. Ravel », a video's duration over its headline, a blocked social embed) and a
Next.js site (a page whose markup is a skeleton and whose story is only in `__NEXT_DATA__`; a server-rendered page
with a sponsor's card and a subscription pitch as CSS-module components). A ninth holdout, built before any change for it, adds an English
wire service (a correction notice over the story, « PARIS, Dec 5 (Wireline) - », "Reporting by … Editing by …", feed
titles prefixed « UPDATE 2- »), a Québec daily (« Publié à 6 h 15 » in Eastern time, the signature's name and paper
side by side, « Lisez « … » » inside the body) and a French stock-market site (quote header, ticker tape, consensus,
forum and sector tables naming other companies).
expected.yaml says, page by page, what a reader finds there; each stored field is checked against it, then
`coverage` and `search` on what was stored (about 50 s, most of it the one ingest run).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from _store_helpers import drop_prefix
from conftest import FIXTURES

from pipeline.demo import SiteHandler, serve_site, write_feeds_file
from pipeline.enrich.gazetteer import canonical_place

pytestmark = pytest.mark.slow

SITES_DIR = FIXTURES / "minisites"
EXPECTED = yaml.safe_load((SITES_DIR / "expected.yaml").read_text(encoding="utf-8"))
SERVED_ON = "Sat, 05 Dec 2026 09:30:00 GMT"  # the sites' clock: « Publié hier à 18h05 » is 4 December


class FixedClockSite(SiteHandler):
    """The sites as a server would send them on SERVED_ON (their `Date` header), the moment their relative dates («
    hier », « il y a 3 heures ») were written from."""

    def date_time_string(self, timestamp=None):
        return SERVED_ON if timestamp is None else super().date_time_string(timestamp)


# Fields found wrong and not fixed yet (page → fields), each with why. The test fails as soon as one of them comes out
# right, so that this list only ever shrinks, and on any other wrong field.
LEFT = {
    "ledger/business/2026/12/02/microsoft-procurement-probe/": {
        "tone",  # auditors' criticism ("costly and opaque", "worrying", "criticized") read neutral
    },
    "ledger/business/2026/12/02/sap-mistral-ai-sovereign-erp/": {
        "company_tone",  # "The partnership is a major win for Mistral AI": Mistral AI read neutral
    },
    # round four's holdout, read before any change for it
    "techwelt/news/Infineon-streicht-1400-Stellen-in-Regensburg-und-Dresden-10246012.html": {
        "persons", "places",  # German: no entity model (enrichment level "partial": companies and topics only)
        "tone", "company_tone",  # German: no tone is decided (level "partial"), the tone model reads French and English
    },
    "techwelt/news/DeepL-eroeffnet-Forschungszentrum-in-Koeln-und-schafft-300-Stellen-10245871.html": {
        "persons", "places",  # German: no entity model (enrichment level "partial": companies and topics only)
        "tone", "company_tone",  # German: no tone is decided (level "partial"), the tone model reads French and English
    },
    "quayside/business/2026/dec/04/synthesia-valuation-funding-round": {
        "places",  # Shoreditch: spaCy tags it LOC, but no gazetteer holds the London district, so it is not kept as a
        # place (pipeline/enrich/entities.py and the gazetteers, owned elsewhere)
    },
    # round five's holdout, read before any change for it
    "relais/news/home/20261202004871/en/": {
        "company_tone",  # "a big step for open-source AI", "the benefits of generative AI": both partners read neutral
    },
    "silicium/episodes/dassault-systemes-cloud-industrie/": {
        "company_tone",  # « C'est un formidable accélérateur », « les signatures s'accélèrent »: Dassault Systèmes read
        # neutral
        "tone",  # the same praise, in the guest's words: read positive by the model before the op-ed openings joined its
        # training (fifth session of 2026-12-05), neutral since (docs/tone.md, « Openings of op-eds in training »)
    },
    # round six's holdout, read before any change for it
    "anp/presse/communiques/donnees-de-sante-hebergement-ovhcloud-outscale": {
        "company_tone",  # « deux entreprises qui ont fait la preuve de leur sérieux », « fiers de leur confier ce
        # chantier »: Outscale read neutral (OVHcloud positive)
    },
    "albion/in-pictures/2026/dec/04/airbus-broughton-wing-robots": {
        "persons",  # "Technician Carys Morgan checks a panel": spaCy tags "Technician" MISC and no person (entities,
        # owned elsewhere)
        "tone",  # "the most advanced wing factory in the world", hires, ahead of schedule: the story read neutral
        # (Airbus positive)
    },
    "albion/in-pictures/2026/dec/03/safran-gloucester-last-shift": {
        "company_tone",  # "It's a disgrace", "Safran never gave this site a chance", a closure: Safran read neutral (the
        # story negative)
    },
    # round seven's holdout, read before any change for it
    "pulse/p/stmicro-crolles-pause": {
        "persons",  # "Sandrine Vial, a CGT representative at the site": spaCy finds no person (entities, owned elsewhere)
    },
    "soitec/en/newsroom/press-releases/soitec-lowers-full-year-revenue-guidance": {
        "places",  # "Bernin (Grenoble), France": Grenoble is not found (entities, owned elsewhere)
    },
    "soitec/en/newsroom/press-releases/soitec-stmicroelectronics-smartsic-agreement": {
        "places",  # "Bernin (Grenoble), France": Grenoble is not found (entities, owned elsewhere)
        "company_tone",  # "a landmark agreement", "We are delighted with this partnership": STMicroelectronics read
        # neutral (Soitec positive)
    },
    # round eight's holdout, read before any change for it
    "pepites/2026/12/05/levees-de-fonds-semaine-dust-photoroom-pigment/": {
        "company_tone",  # a week's funding rounds (« boucle une série B de 60 millions d'euros », « lève 45 millions
        # d'euros »): Dust, Photoroom and Pigment read neutral (the round-up's own tone positive)
    },
}


def field_problems(doc: dict, expected: dict, base: str) -> dict[str, str | None]:
    """Each checked field of a stored article → None when it says what the page says, else what is wrong."""

    def differs(got, want) -> str | None:
        return None if got == want else f"got {got!r}, want {want!r}"

    text = doc.get("text") or ""
    published = doc.get("published_at")
    published = datetime.fromisoformat(published).replace(microsecond=0) if published else None
    missing = [p for p in expected.get("text_has", []) if p not in text]
    furniture = [p for p in expected.get("text_not", []) if p in text]
    persons, places = set(doc.get("persons") or []), set(doc.get("places") or [])
    # a place is stored under the gazetteer's one name ("Frankfurt" is Frankfurt am Main), as `make eval` compares them
    expected = {**expected, **{key: [canonical_place(p) or p for p in expected.get(key, [])]
                               for key in ("places", "places_not")}}
    checks = {
        "title": differs(doc.get("title"), expected["title"]),
        "canonical_url": differs(doc.get("canonical_url"), base + expected["canonical"]),
        "published_at": differs(published, datetime.fromisoformat(expected["published"])),
        "authors": differs(doc.get("authors"), expected["authors"]),
        "lang": differs(doc.get("lang"), expected["lang"]),
        "text": "; ".join(filter(None, [missing and f"missing {missing}", furniture and f"furniture {furniture}"]))
        or None,
        "orgs": differs(sorted(doc.get("orgs") or []), sorted(expected.get("orgs", []))),
        "persons": "; ".join(filter(None, [
            (lost := sorted(set(expected.get("persons", [])) - persons)) and f"missing {lost}",
            (wrong := sorted(persons & set(expected.get("persons_not", [])))) and f"wrong {wrong}"])) or None,
        "places": "; ".join(filter(None, [
            (lost := sorted(set(expected.get("places", [])) - places)) and f"missing {lost}",
            (wrong := sorted(places & set(expected.get("places_not", [])))) and f"wrong {wrong}"])) or None,
    }
    if "tone" in expected:
        checks["tone"] = differs((doc.get("sentiment") or {}).get("label"), expected["tone"])
    if "company_tone" in expected:
        got = {m["company"]: m["label"] for m in doc.get("company_sentiment") or []}
        checks["company_tone"] = differs({c: got.get(c) for c in expected["company_tone"]}, expected["company_tone"])
    return checks


@pytest.fixture(scope="module")
def minisites(es_server, tmp_path_factory):
    """The sites served on 127.0.0.1 and read once by `python -m pipeline ingest`; the stored articles by path."""
    from elasticsearch import Elasticsearch

    from pipeline.store.templates import index_names

    work = tmp_path_factory.mktemp("minisites")
    prefix = "minisites" + str(os.getpid())
    env = {**os.environ, "NEWSROOM_ES_URL": es_server, "NEWSROOM_ES_INDEX_PREFIX": prefix,
           "NEWSROOM_DATA_DIR": str(work / "data"), "NEWSROOM_FETCH_ALLOW_HOSTS": "127.0.0.1",
           "NEWSROOM_FETCH_HOST_DELAY": "0"}
    server, base = serve_site(SITES_DIR, handler=FixedClockSite)
    try:
        feeds = write_feeds_file(base, work, SITES_DIR)
        done = subprocess.run([sys.executable, "-m", "pipeline", "ingest", "--feeds", str(feeds), "--json"],
                              env=env, cwd=work, capture_output=True, text=True, timeout=300)
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 0, done.stderr[-2000:]
    client = Elasticsearch(es_server)
    alias = index_names(prefix)["articles"]
    client.indices.refresh(index=alias)
    docs = [hit["_source"] for hit in client.search(index=alias, size=1000)["hits"]["hits"]]
    try:
        yield {"base": base, "docs": docs, "env": env, "cwd": work, "run": json.loads(done.stdout)}
    finally:
        drop_prefix(client, prefix)


def _stored(minisites: dict, path: str) -> dict:
    url = minisites["base"] + "/" + path
    found = [doc for doc in minisites["docs"] if doc["url"] == url]
    assert len(found) == 1, f"{path}: stored {len(found)} times ({[d['url'] for d in minisites['docs']]})"
    return found[0]


def test_a_cms_permalink_s_index_page_is_served_with_the_base_url_filled_in():
    """A `/2026/12/slug/` permalink is a directory's index.html: its canonical link and JSON-LD must name the server."""
    import urllib.request

    server, base = serve_site(SITES_DIR)
    try:
        with urllib.request.urlopen(f"{base}/courrier/2026/12/ovhcloud-trimestre-decevant/?utm_source=rss") as reply:
            page = reply.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
    assert "{{BASE}}" not in page and f'href="{base}/courrier/2026/12/ovhcloud-trimestre-decevant/"' in page


def test_a_page_a_server_script_writes_is_served_as_html_with_the_base_url_filled_in():
    """The Québec daily's `….php` pages reach readers as HTML: served as Python guesses a `.php` file, the page was
    skipped and its story stored from the feed's summary alone (ninth round)."""
    import urllib.request

    server, base = serve_site(SITES_DIR)
    path = "/stlaurent/affaires/techno/2026-12-05/mistral-ai-s-installe-a-montreal-et-promet-150-emplois.php"
    try:
        with urllib.request.urlopen(base + path) as reply:
            ctype, page = reply.headers["Content-Type"], reply.read().decode("utf-8")
    finally:
        server.shutdown()
        server.server_close()
    assert ctype == "text/html; charset=utf-8"
    assert "{{BASE}}" not in page and f'href="{base}{path}"' in page


def test_each_story_is_stored_once_whichever_feed_or_tracking_link_reached_it(minisites):
    stored = sorted(doc["url"].removeprefix(minisites["base"] + "/") for doc in minisites["docs"])
    assert stored == sorted(EXPECTED)


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_every_stored_field_says_what_the_page_says(minisites, path):
    problems = {field: problem for field, problem in
                field_problems(_stored(minisites, path), EXPECTED[path], minisites["base"]).items() if problem}
    left = LEFT.get(path, set())
    assert not left - set(problems), f"{path}: {sorted(left - set(problems))} now right: take them out of LEFT"
    assert set(problems) == left, f"{path}: {({f: p for f, p in problems.items() if f not in left})}"


def _cli(minisites: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "pipeline", *args], env=minisites["env"], cwd=minisites["cwd"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_coverage_counts_each_company_s_stories_on_their_paris_days(minisites):
    result = json.loads(_cli(minisites, "coverage", "--company", "Mistral AI", "--company", "Nvidia",
                             "--since", "2026-11-30", "--until", "2026-12-04", "--json"))
    days = {company: {p["date"]: p["articles"] for p in points if p["articles"]}
            for company, points in result["series"].items()}
    assert days == {"Mistral AI": {"2026-12-01": 2, "2026-12-02": 2},
                    "Nvidia": {"2026-12-01": 1, "2026-12-02": 2, "2026-12-03": 1}}


@pytest.mark.parametrize(("query", "paths"), [
    ("Nvidia", {"courrier/2026/12/mistral-ai-centre-de-donnees-essonne/", "compute/p/sipearl-rhea-delay",
                "ledger/technology/2026/12/03/nvidia-export-curbs-europe/", "ghost/sovereign-ai-budget-eu/"}),
    ('"cloud de confiance" lang:fr', {"courrier/2026/12/s3ns-secnumcloud-ministeres/",
                                      "silicium/episodes/bleu-cloud-de-confiance-retard/",
                                      "cotes/cours/action/OVHCLOUD-120982133/actualite/"
                                      "OVHcloud-s-envole-apres-un-contrat-avec-l-Etat-48213377/"}),
    # the wire's "Read Next" names Nvidia: left in the text, it would drop the wire's Mistral AI story here
    ('"Mistral AI" -Nvidia', {"ledger/business/2026/12/02/sap-mistral-ai-sovereign-erp/",
                         "medium/european-ai/aleph-alpha-mistral-two-paths-3f9a1c2b7e4d",
                         "wireline/technology/mistral-ai-orange-public-sector-deal-2026-12-05/",
                         "stlaurent/affaires/techno/2026-12-05/mistral-ai-s-installe-a-montreal-et-promet-150-emplois.php"}),
    # furniture left in a text would match here: the comments, "Most Read" and related lists name these companies
    ("Oracle OR Apple OR Intel OR Amazon Web Services", {
        "ledger/technology/2026/12/03/aws-sovereign-cloud-brandenburg/"}),
    ("Quandela OR Llama OR Pierre91", set()),
    # the third round's "Related stories", « À lire aussi » and "Plus d'actualités" links name these
    ("Salesforce OR Palantir OR TSMC OR engrange", set()),
])
def test_search_finds_the_stories_that_say_it(minisites, query, paths):
    result = json.loads(_cli(minisites, "search", query, "--json"))
    assert {r["url"].removeprefix(minisites["base"] + "/") for r in result["results"]} == paths
