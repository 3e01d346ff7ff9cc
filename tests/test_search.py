"""Search on the stand-in: whole phrases, the query syntax, filters, relevance/date order, results, CSV, CLI."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from _store_helpers import drop_prefix, make_record

from pipeline.errors import NewsroomError
from pipeline.search import (SEARCH_FIELDS, build_search, parse_query, passage_html, passage_plain,
                             passage_terminal, search_articles)
from pipeline.settings import load_settings
from pipeline.sinks import MARK_START
from pipeline.store.client import make_client
from pipeline.store.indexing import index_enriched
from pipeline.store.templates import index_names


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


# Pages about the AI Act, and pages that only say "act", "AI" or "Cloud Act", in French and in English.
PHRASE_PAGES = [
    ("https://a.example/fr-ai-act", "fr", "L’AI Act entre en application",
     "Le règlement européen sur l'intelligence artificielle, l'AI Act, impose de nouvelles obligations aux "
     "fournisseurs de modèles."),
    ("https://a.example/fr-act", "fr", "Le conseil municipal",
     "J'ai assisté au vote : le conseil doit prendre acte de la décision et act sera publié."),
    ("https://a.example/fr-cloud-act", "fr", "Le Cloud Act inquiète",
     "Le Cloud Act américain permet aux autorités d'accéder aux données. L'IA n'est pas concernée, ai-je lu."),
    ("https://a.example/en-ai-act", "en", "What the AI Act means for startups",
     "The EU AI Act sets obligations for general-purpose model providers."),
    ("https://a.example/en-act", "en", "Turn signals",
     "They act as turn signals. The Water Act was passed. AI is everywhere."),
    ("https://a.example/en-cloud-act", "en", "Cloud Act warrant",
     "A Cloud Act warrant reached an AI startup's servers."),
]


@pytest.fixture
def indexed(es_url):
    settings = load_settings()
    client = make_client(settings)
    records = [
        make_record("https://a.example/tribune", "Une défaite pour la souveraineté technologique française face aux "
                    "puces américaines. Mistral AI s'allie à Nvidia pour un cloud souverain.",
                    title="Mistral et Nvidia : une alliance", published=_at(20, 9), score=-0.5,
                    orgs={"Mistral AI": -0.6, "Nvidia": -0.3}, source="Le Quotidien"),
        make_record("https://a.example/ovh", "OVHcloud défend un cloud souverain et ses centres de données.",
                    title="OVHcloud publie ses résultats", published=_at(18), orgs={"OVHcloud": 0.6}, score=0.4,
                    source="Le Quotidien"),
        make_record("https://a.example/chips", "Export rules hit Nvidia chips sold to sovereign clouds.",
                    title="Nvidia export rules", published=_at(21, 16), orgs={"Nvidia": -0.7}, score=-0.6,
                    lang="en", source="The Compute Ledger"),
        make_record("https://a.example/soup", "Five autumn soup recipes for cold evenings.", title="Soups",
                    published=_at(22), lang="en", source="Kitchen Weekly"),
    ]
    records += [make_record(url, text, title=title, lang=lang, published=_at(10 + i))
                for i, (url, lang, title, text) in enumerate(PHRASE_PAGES)]
    index_enriched(client, settings, records)
    yield settings, client, records
    drop_prefix(client, settings.es_index_prefix)


def _urls(results) -> set[str]:
    return {h["url"] for h in results.hits}


def test_quoted_ai_act_matches_only_pages_about_the_ai_act_in_french_and_english(indexed):
    settings, client, _ = indexed
    results = search_articles(client, settings, '"AI Act"')
    assert _urls(results) == {"https://a.example/fr-ai-act", "https://a.example/en-ai-act"}
    assert results.total == 2
    # the passage marks the phrase itself
    assert any("AI Act" in p.replace("\ue000", "").replace("\ue001", "") for h in results.hits for p in h["passages"])


def test_quoted_cloud_souverain_is_a_phrase_not_two_words(indexed):
    settings, client, _ = indexed
    assert _urls(search_articles(client, settings, '"cloud souverain"')) == {
        "https://a.example/tribune", "https://a.example/ovh"}
    assert _urls(search_articles(client, settings, '"souverain cloud"')) == set()


def test_unquoted_words_are_stemmed_in_each_articles_language(indexed):
    settings, client, _ = indexed
    # french stemming: "souveraines" matches "souverain", "technologiques" matches "technologique"
    assert _urls(search_articles(client, settings, "souveraines technologiques")) == {"https://a.example/tribune"}
    assert "https://a.example/chips" in _urls(search_articles(client, settings, "sovereign chip"))


def test_boolean_operators_parentheses_and_prefix(indexed):
    settings, client, _ = indexed
    assert _urls(search_articles(client, settings, "cloud -Nvidia")) >= {"https://a.example/ovh"}
    assert "https://a.example/tribune" not in _urls(search_articles(client, settings, "cloud -Nvidia"))
    either = _urls(search_articles(client, settings, "soup | OVHcloud"))
    assert either == {"https://a.example/soup", "https://a.example/ovh"}
    grouped = _urls(search_articles(client, settings, '(soup | recipes) + "cold evenings"'))
    assert grouped == {"https://a.example/soup"}
    assert "https://a.example/ovh" in _urls(search_articles(client, settings, "OVHclo*"))
    # the same in words
    assert _urls(search_articles(client, settings, "soup OR OVHcloud")) == either
    assert _urls(search_articles(client, settings, '(soup OR recipes) AND "cold evenings"')) == grouped
    assert "https://a.example/tribune" not in _urls(search_articles(client, settings, "cloud AND NOT Nvidia"))
    assert parse_query('"NOT AND OR" NOT x').text == '"NOT AND OR" -x'
    # bad syntax never fails
    search_articles(client, settings, '"unbalanced (quote')


def test_french_operators_et_ou_sauf_in_capitals_are_and_or_not(indexed):
    """`OVHcloud OU Nvidia` found nothing and `cloud SAUF Nvidia` nothing: « OU », « ET » and « SAUF » were words
    every article had to hold. In capitals and outside quotes they are now AND, OR and NOT, as their English forms
    are; in lower case or quoted they stay words."""
    settings, client, _ = indexed
    for french, english in (("OVHcloud OU Nvidia", "OVHcloud OR Nvidia"), ("cloud SAUF Nvidia", "cloud NOT Nvidia"),
                            ("souveraineté ET Nvidia", "souveraineté AND Nvidia"),
                            ("(soup OU OVHcloud) ET SAUF Nvidia", "(soup OR OVHcloud) AND NOT Nvidia")):
        found = _urls(search_articles(client, settings, french))
        assert found and found == _urls(search_articles(client, settings, english)), french
    assert parse_query('"Mistral ET Nvidia" ou sauf').text == '"Mistral ET Nvidia" ou sauf'


def test_a_typographic_dash_starting_a_word_leaves_it_out_as_a_hyphen_does(indexed):
    """`cloud –Nvidia`, the dash a word processor or a phone types, found the articles *with* Nvidia: the en dash was
    punctuation, so Nvidia became a required word. An en dash, em dash or minus sign starting a word is now NOT, as
    `-` is; inside a word or quoted it is left as typed."""
    settings, client, _ = indexed
    without = _urls(search_articles(client, settings, "cloud -Nvidia"))
    assert without and "https://a.example/tribune" not in without
    for dash in "–—−":
        assert _urls(search_articles(client, settings, f"cloud {dash}Nvidia")) == without, dash
        assert _urls(search_articles(client, settings, f"cloud ({dash}Nvidia)")) == without, dash
    assert parse_query('"a –b" x–y').text == '"a –b" x–y'


def test_plain_words_select_and_rank_as_the_query_parser_does(indexed):
    """Plain words go to one `match` per language field (cheaper on the stand-in); nothing else may change."""
    settings, client, _ = indexed
    alias = index_names(settings.es_index_prefix)["articles"]
    for words in ["cloud", "souveraines technologiques", "Nvidia chips", "cloud souverain données", "AI act",
                  "soup recipes evenings", "l'intelligence artificielle"]:
        body = build_search(settings, words)
        assert "simple_query_string" not in json.dumps(body["query"]), words
        parsed = [{"simple_query_string": {"query": words, "fields": [name], "quote_field_suffix": ".exact",
                                           "default_operator": "and", "analyze_wildcard": True}}
                  for name in SEARCH_FIELDS]
        by_parser = dict(body, query={"bool": {"must": [{"bool": {"should": parsed, "minimum_should_match": 1}}]}})
        got, expected = client.search(index=alias, **body), client.search(index=alias, **by_parser)
        assert got["hits"]["total"] == expected["hits"]["total"], words
        assert [(h["_id"], pytest.approx(h["_score"])) for h in got["hits"]["hits"]] == [
            (h["_id"], h["_score"]) for h in expected["hits"]["hits"]], words
        assert [h.get("highlight") for h in got["hits"]["hits"]] == [
            h.get("highlight") for h in expected["hits"]["hits"]], words
    # whole quoted phrases are one clause each, on the exact copy
    phrase = json.dumps(build_search(settings, '"AI Act" obligations')["query"])
    assert "simple_query_string" not in phrase and '"match_phrase": {"search.fr.exact": "AI Act"}' in phrase
    # any other operator keeps the query parser
    for query in ["cloud -Nvidia", "soup | OVHcloud", "OVHclo*", "(soup)", "cloud~1"]:
        assert "simple_query_string" in json.dumps(build_search(settings, query)["query"]), query


def test_field_filters_in_the_query_and_as_options(indexed):
    settings, client, _ = indexed
    assert parse_query('cloud source:"Le Quotidien" lang:fr').sources == ["Le Quotidien"]
    assert _urls(search_articles(client, settings, 'cloud source:"le quotidien"')) == {
        "https://a.example/tribune", "https://a.example/ovh"}
    assert _urls(search_articles(client, settings, "company:nvidia")) == {
        "https://a.example/tribune", "https://a.example/chips"}
    assert _urls(search_articles(client, settings, "nvidia lang:en")) == {"https://a.example/chips"}
    assert _urls(search_articles(client, settings, "cloud", sources=["The Compute Ledger"])) == {
        "https://a.example/chips"}
    assert _urls(search_articles(client, settings, "nvidia", since="2026-11-21")) == {"https://a.example/chips"}
    assert _urls(search_articles(client, settings, "nvidia", until="2026-11-20")) == {"https://a.example/tribune"}
    assert _urls(search_articles(client, settings, "cloud", tone="positive")) == {"https://a.example/ovh"}
    assert _urls(search_articles(client, settings, "company:Mistral", company_tones={"nvidia": "negative"})) == {
        "https://a.example/tribune"}
    assert _urls(search_articles(client, settings, "cloud", company_tones={"OVH": "negative"})) == set()


def test_relevance_by_default_and_date_on_request(indexed):
    settings, client, _ = indexed
    by_score = search_articles(client, settings, "Nvidia")
    scores = [h["relevance"] for h in by_score.hits]
    assert scores == sorted(scores, reverse=True)
    by_date = search_articles(client, settings, "Nvidia", sort="date")
    dates = [h["published_at"] for h in by_date.hits]
    assert dates == sorted(dates, reverse=True) and by_date.sort == "date"


def test_results_carry_short_id_companies_with_tone_and_marked_passage(indexed):
    settings, client, records = indexed
    hit = search_articles(client, settings, "alliance").hits[0]
    assert hit["id"] == records[0].article.id and hit["short_id"] == hit["id"][:12]
    assert {c["company"]: c["tone"] for c in hit["companies"]} == {"Mistral AI": "negative", "Nvidia": "negative"}
    fragment = hit["passages"][0]
    terminal = passage_terminal(fragment)
    assert [terminal.plain[s.start:s.end] for s in terminal.spans if s.style == "bold"] == ["alliance"]
    assert "<mark>alliance</mark>" in passage_html(fragment)
    assert "«" not in passage_html(fragment)


def test_hostile_passage_is_inert_in_terminal_and_html():
    fragment = "[link=http://x]click[/link] <script>alert(1)</script> \ue000word\ue001"
    terminal = passage_terminal(fragment)
    assert terminal.plain.startswith("[link=http://x]click[/link]") and terminal.spans[-1].style == "bold"
    assert "<script>" not in passage_html(fragment) and passage_html(fragment).endswith("<mark>word</mark>")


def test_passages_with_backslashes_and_stray_markers_print_as_written():
    from pipeline.sinks import terminal_console

    for fragment, shown in [
        ("Backup folder C:\\\ue000Mistral\ue001 AI leaked", "Backup folder C:\\Mistral AI leaked"),
        ("Sovereign \ue001 \ue000Mistral\ue001 AI fund \ue000", "Sovereign Mistral AI fund"),
        ("ends with \\\\\ue000two\ue001 \\", "ends with \\\\two \\"),
        (":rotating_light: \ue000alert\ue001 [/bold] [link=x]", ":rotating_light: alert [/bold] [link=x]"),
    ]:
        console = terminal_console(record=True, width=200)
        console.print("  … ", passage_terminal(fragment), " …", sep="", highlight=False)
        assert console.export_text().strip() == f"… {shown} …"  # a stray marker or backslash never breaks markup
        assert passage_plain(fragment) == shown
    bold = passage_terminal("a \ue000b\ue001 c")
    assert [(bold.plain[s.start:s.end], s.style) for s in bold.spans] == [("b", "bold")]
    assert passage_html("a \ue001 <b>\ue000x") == "a &lt;b&gt;<mark>x</mark>"


@pytest.mark.parametrize("query", ["~", "[", "{", ":", "\\", "/", "&&", "^", "%", "€", "—", "- ~"])
def test_a_query_with_no_word_in_it_is_refused_in_one_sentence(indexed, query):
    """`~`, `[`, `\\`, `:` alone were "0 article(s) match." with no word why (the analysers keep no word of them);
    `*` alone still lists every article."""
    settings, client, _ = indexed
    with pytest.raises(NewsroomError, match=r"^The search query .* has no word in it \(only punctuation or "
                                            r"operators\)"):
        search_articles(client, settings, query)
    assert search_articles(client, settings, "*").total == len(indexed[2])


def test_unknown_company_and_empty_query_are_clear_errors(indexed):
    settings, client, _ = indexed
    with pytest.raises(NewsroomError, match="search query"):
        search_articles(client, settings, "  ")
    with pytest.raises(NewsroomError, match=r"'Nvidai' is not a watched company.*'Nvidia'"):
        search_articles(client, settings, "cloud company:Nvidai")
    with pytest.raises(NewsroomError, match="unknown tone"):
        search_articles(client, settings, "cloud", tone="angry")


def test_a_name_two_watched_companies_share_is_refused_naming_both(indexed):
    """`--company Dassault` silently meant Dassault Aviation (whose ambiguous form it is), though Dassault Systèmes is
    called so too: an analyst after the software maker got the planemaker's articles, or none. A name that is one
    company's form and a word of another's is refused in one sentence naming both; full names resolve as before."""
    from pipeline.enrich.watchlist import resolve_company

    settings, client, _ = indexed
    for name in ("Dassault", "DASSAULT"):
        with pytest.raises(NewsroomError, match=rf"^'{name}' names more than one watched company: Dassault Aviation "
                                                "or Dassault Systèmes; give the full name"):
            search_articles(client, settings, "cloud", companies=[name])
    assert [resolve_company(name) for name in ("dassault aviation", "Dassault Systemes", "ovh")] == [
        "Dassault Aviation", "Dassault Systèmes", "OVHcloud"]


def test_a_company_named_in_the_possessive_is_the_company(indexed):
    """`company:mistral's`, `--company "Nvidia’s"` were refused ("'mistral's' is not a watched company… Did you mean
    'Mistral AI'?"), though the same word in the query finds the company's articles: the possessive is dropped when
    the name as typed is no company's, in search, coverage, mentions and tone corrections alike."""
    from pipeline.enrich.watchlist import resolve_companies

    settings, client, _ = indexed
    tribune = {"https://a.example/tribune"}
    assert _urls(search_articles(client, settings, "cloud company:mistral's")) == tribune
    assert _urls(search_articles(client, settings, 'company:"Mistral AI’s"')) == tribune
    assert _urls(search_articles(client, settings, "cloud", companies=["OVH's"])) == {"https://a.example/ovh"}
    assert _urls(search_articles(client, settings, "", company_tones={"NVIDIA'S": "négatif"})) == {
        "https://a.example/tribune", "https://a.example/chips"}
    assert resolve_companies(["Nvidia’s", "mistral's", "Mistral AI"]) == ["Nvidia", "Mistral AI"]  # coverage's
    with pytest.raises(NewsroomError, match=r"^\"Mistrall's\" is not a watched company.*'Mistral AI'"):
        search_articles(client, settings, "cloud", companies=["Mistrall's"])


def test_a_company_name_typed_in_quotes_is_the_company(indexed, capsys):
    """`--company '"Mistral AI"'` (a script quoting twice, a spreadsheet cell), `company:'Nvidia'`, `« Nvidia »` were
    "not a watched company… Did you mean 'Mistral AI'?": the quotes around a name are not part of it."""
    from pipeline.cli import main
    from pipeline.enrich.watchlist import resolve_companies

    settings, client, _ = indexed
    assert resolve_companies(['"Mistral AI"', "« Nvidia »", "“ovh”", "'AWS'", "‘mistral’s’"]) == [
        "Mistral AI", "Nvidia", "OVHcloud", "Amazon Web Services"]
    # copied from a right-to-left page or a title: direction marks and a soft hyphen are not part of the name
    assert resolve_companies(["Nvidia\u200f", "\u2067Mistral AI\u2069", "OVH\u00adcloud"]) == [
        "Nvidia", "Mistral AI", "OVHcloud"]
    assert _urls(search_articles(client, settings, "company:'Nvidia'")) == {"https://a.example/tribune",
                                                                            "https://a.example/chips"}
    main(["mentions", "--company", '"OVH"', "--since", "2026-11-01", "--until", "2026-11-30", "--json"])
    assert [row["company"] for row in json.loads(capsys.readouterr().out)] == ["OVHcloud"]
    with pytest.raises(NewsroomError, match="is not a watched company"):
        resolve_companies(['"Mistrall"'])


def test_a_company_typed_as_its_stock_ticker_is_the_company(es_url, tmp_path, capsys):
    """`--company AAPL`, `company:pltr` were "not a watched company… Did you mean 'Apple'?", though the watchlist gives
    each company's ticker and the linker reads it in articles ("AAPL gained 1.2%"): search, mentions and alert rules
    take it as the company; a ticker that is another company's form keeps that company."""
    from pipeline.alerts.rules import load_rules
    from pipeline.cli import main
    from pipeline.enrich.watchlist import resolve_companies

    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [
        make_record("https://tk.example/apple", "Apple présente ses puces.", title="Apple", orgs={"Apple": 0.3},
                    published=_at(20)),
        make_record("https://tk.example/palantir", "Palantir signe avec l'armée.", title="Palantir",
                    orgs={"Palantir": -0.2}, published=_at(21)),
    ])
    try:
        assert resolve_companies(["AAPL", "pltr", "ORCL", "NVDA"]) == ["Apple", "Palantir", "Oracle", "Nvidia"]
        assert _urls(search_articles(client, settings, "", companies=["AAPL"])) == {"https://tk.example/apple"}
        assert _urls(search_articles(client, settings, "company:pltr")) == {"https://tk.example/palantir"}
        main(["mentions", "--company", "PLTR", "--since", "2026-11-01", "--until", "2026-11-30", "--json"])
        assert [row["company"] for row in json.loads(capsys.readouterr().out)] == ["Palantir"]
        rules = tmp_path / "alerts.yaml"
        rules.write_text("rules:\n  - name: apple\n    companies: [aapl]\n    channels: [{type: slack}]\n")
        assert load_rules(settings, rules).rules[0].companies == ["Apple"]
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_lone_surrogate_the_store_returns_reaches_json_csv_exports_and_webhooks_as_a_replacement_character(
        es_url, tmp_path, monkeypatch, capsys, httpserver):
    """Elasticsearch stores a lone surrogate escape written by another tool (`"title": "\\ud800"`) and returns it as
    written (the stand-in refuses to store one: a proxy writes it into the stand-in's replies). Read as is, it could
    not be written as UTF-8: `search --json`, `mentions --json`, `coverage --json` and `tone export` ended in a
    traceback, and a webhook rule failed on the article at every run, the alert never sent. Each now reads U+FFFD."""
    from _alerts_helpers import write_rules
    from _es_proxy import IlmProxy

    from pipeline.cli import main
    from pipeline.settings import get_settings

    settings = load_settings()
    client = make_client(settings)
    record = make_record("https://lone.example/a", "Nvidia LONESURROGATE annonce.", title="Titre LONESURROGATE",
                         orgs={"Nvidia": -0.4}, score=-0.4, source="Source LONESURROGATE", published=_at(20))
    index_enriched(client, settings, [record])
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    rules = write_rules(tmp_path / "alerts.yaml", [{"name": "nvidia", "companies": ["Nvidia"],
                                                   "channels": [{"type": "webhook", "url": httpserver.url_for("/hook")}]}])
    monkeypatch.setenv("NEWSROOM_ALERTS_INITIAL_LOOKBACK_HOURS", "8000")
    period = ["--since", "2026-11-01", "--until", "2026-11-30"]
    try:
        with IlmProxy(es_url, replies=lambda body: body.replace(b"LONESURROGATE", b"\\ud800")) as proxy:
            monkeypatch.setenv("NEWSROOM_ES_URL", proxy.url)
            get_settings.cache_clear()
            main(["search", "Nvidia", "--json"])
            assert json.loads(capsys.readouterr().out)["results"][0]["title"] == "Titre \ufffd"
            main(["mentions", "--company", "nvidia", *period, "--json"])
            assert json.loads(capsys.readouterr().out)[0]["source"] == "Source \ufffd"
            main(["coverage", "--company", "nvidia", *period, "--by", "source", "--json"])
            assert "Source \ufffd" in capsys.readouterr().out
            main(["tone", "set", record.article.id, "positive", "--document"])
            main(["tone", "export", "--output", str(tmp_path / "gold.jsonl")])
            assert "Titre \ufffd" in (tmp_path / "gold.jsonl").read_text(encoding="utf-8")
            with pytest.raises(SystemExit) as exit_code:  # exit 0 is still an exit: a failed channel exits 1
                main(["alerts", "run", "--rules", str(rules)])
                raise SystemExit(0)
            assert exit_code.value.code == 0, capsys.readouterr()
        (request, _), = httpserver.log
        assert request.get_json()["alerts"][0]["title"] == "Titre \ufffd"
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_former_name_or_brand_of_a_company_names_the_company_in_the_refusal(es_url, capsys):
    """`--company Facebook` (Meta's former name), `iPhone`, `Zuckerberg`: "not a watched company" with no suggestion,
    though the watchlist gives them as Meta's or Apple's evidence. The refusal now names the company; it does not
    pick it silently (Facebook is no Meta alias: the linker reads it as evidence only)."""
    from pipeline.cli import main

    settings = load_settings()
    client = make_client(settings)
    for name, company in [("Facebook", "Meta"), ("zuckerberg", "Meta"), ("iPhone", "Apple")]:
        with pytest.raises(NewsroomError, match=rf"^'{name}' is not a watched company .*Did you mean '{company}'"):
            search_articles(client, settings, "", companies=[name])
    with pytest.raises(SystemExit):
        main(["mentions", "--company", "Facebook"])
    assert "Did you mean 'Meta'?" in " ".join(capsys.readouterr().err.split())


@pytest.mark.parametrize("command", [["search", "cloud"], ["mentions"], ["coverage"], ["report", "--output", "r.html"]])
def test_an_empty_company_name_is_refused_not_read_as_no_filter(indexed, command, tmp_path, monkeypatch):
    """`search cloud --company "$COMPANY"` with the variable unset listed every company's articles, and `report
    --entity ""` reported on the most mentioned companies: an empty name is refused in one sentence, before any
    query."""
    monkeypatch.chdir(tmp_path)
    proc = _cli(*command, "--company", " ")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr, proc.stdout + proc.stderr
    assert "A company name (--company, --entity) is empty" in " ".join(proc.stderr.split()), proc.stderr
    assert not (tmp_path / "r.html").exists()


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, timeout=120)


def test_a_huge_stored_title_and_url_show_their_start_in_the_terminal_and_whole_in_json(es_url):
    """A hostile feed's 100,000-character link was printed in full by `search`, screens of it per hit."""
    from _store_helpers import drop_prefix as drop

    from pipeline.cli.search_cmd import SHOWN_CHARS

    settings = load_settings()
    client = make_client(settings)
    url, title = "https://a.example/" + "x" * 20_000, "Quetzalcoatl " + "t" * 5_000
    index_enriched(client, settings, [make_record(url, "Quetzalcoatl et le cloud souverain.", title=title)])
    try:
        proc = _cli("search", "Quetzalcoatl")
        assert proc.returncode == 0, proc.stderr
        longest = max(len(line) for line in proc.stdout.splitlines())
        assert "https://a.example/xxx" in proc.stdout and longest <= SHOWN_CHARS + 10, longest
        proc = _cli("search", "Quetzalcoatl", "--json")
        (hit,) = json.loads(proc.stdout)["results"]
        assert hit["url"] == url and len(hit["title"]) > 3 * SHOWN_CHARS  # as stored (titles are capped at indexing)
    finally:
        drop(client, settings.es_index_prefix)


def test_an_article_in_a_language_without_a_tone_model_shows_no_tone(es_url, tmp_path):
    """Hostile input, twelfth round: a German or Arabic page is enriched in part (companies, topics; no tone model)
    and stored as `neutral 0.0`, which `search` showed as "tone neutral · Mistral AI neutral", a tone nobody read,
    also in JSON and CSV. It now says the tone was not read; the French article beside it keeps its tone."""
    from pipeline.models import Enrichment

    settings = load_settings()
    client = make_client(settings)
    german = make_record("https://a.example/de", "Quetzalcoatl: Mistral AI und Nvidia bauen ein Rechenzentrum.",
                         title="Quetzalcoatl und Mistral AI", lang="de", orgs={"Mistral AI": 0.0})
    german = german.model_copy(update={"enrichment": Enrichment(**{**german.enrichment.model_dump(), "level": "partial",
                                                                   "entity_sentiment": {}})})
    french = make_record("https://a.example/fr", "Quetzalcoatl : Mistral AI et Nvidia bâtissent un centre de calcul.",
                         title="Quetzalcoatl et Mistral AI", orgs={"Mistral AI": 0.0})
    index_enriched(client, settings, [german, french])
    try:
        proc = _cli("search", "Quetzalcoatl", "--csv", str(tmp_path / "out.csv"))
        assert proc.returncode == 0, proc.stderr
        lines = proc.stdout.splitlines()
        de = lines[lines.index("Quetzalcoatl und Mistral AI") + 1]
        fr = lines[lines.index("Quetzalcoatl et Mistral AI") + 1]
        assert de.endswith("tone not read (de: no tone model for this language)  · Mistral AI"), de
        assert fr.endswith("tone neutral  · Mistral AI neutral"), fr
        rows = {row["title"]: row for row in csv.DictReader((tmp_path / "out.csv").open(encoding="utf-8"))}
        assert (rows["Quetzalcoatl und Mistral AI"]["tone"], rows["Quetzalcoatl et Mistral AI"]["tone"]) == ("",
                                                                                                          "neutral")
        hits = {h["title"]: h for h in json.loads(_cli("search", "Quetzalcoatl", "--json").stdout)["results"]}
        assert hits["Quetzalcoatl und Mistral AI"]["sentiment"] is None
        assert hits["Quetzalcoatl und Mistral AI"]["companies"][0]["tone"] is None
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_search_csv_marks_the_tones_an_analyst_corrected(es_url, tmp_path, monkeypatch):
    """A search exported to a spreadsheet passed the analysts' labels (and their fixed ±0.5 scores) off as the
    model's, while the terminal, --json and `mentions --csv` marked them (red-team, query side)."""
    from pipeline.corrections import set_tone

    settings = load_settings()
    client = make_client(settings)
    rec = make_record("https://a.example/zanzibar", "Zanzibar : Mistral AI et Nvidia s'allient.",
                      orgs={"Mistral AI": 0.6, "Nvidia": 0.5}, score=0.6)
    index_enriched(client, settings, [rec])
    try:
        set_tone(client, settings, rec.article.id, "negative", company="Mistral AI", analyst="alice")
        set_tone(client, settings, rec.article.id, "neutral", analyst="bob")
        out = tmp_path / "corrected.csv"
        assert _cli("search", "Zanzibar", "--csv", str(out)).returncode == 0
        (row,) = csv.DictReader(out.open(encoding="utf-8"))
        assert (row["tone"], row["corrected"], row["corrected_by"], row["model_label"]) == (
            "neutral", "True", "bob", "positive")
        assert row["companies"] == "Mistral AI negative (corrected by alice, model said positive); Nvidia positive"
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_search_cli_json_csv_and_terminal(indexed, tmp_path):
    proc = _cli("search", "alliance", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["total"] == 1 and [r["url"] for r in data["results"]] == ["https://a.example/tribune"]
    assert "<mark>" in data["results"][0]["passages_html"][0]
    out = tmp_path / "results.csv"
    proc = _cli("search", "cloud", "--company", "mistral", "--csv", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "1 article(s) match" in proc.stdout
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0]) == ["id", "published_at", "source", "lang", "title", "url", "companies", "tone",
                             "tone_score", "corrected", "corrected_by", "model_label", "passage"]
    assert rows[0]["companies"] == "Mistral AI negative; Nvidia negative" and len(rows) == 1
    proc = _cli("search", "cloud", "--company", "Acme")
    assert proc.returncode != 0 and "is not a watched company" in proc.stderr and "Traceback" not in proc.stderr


def test_results_show_why_a_company_got_its_tone(es_url):
    """Evidence and confidence stored with a tone reach the search result, in JSON and in the terminal."""
    from _store_helpers import drop_prefix as drop

    from pipeline.models import Sentiment

    settings = load_settings()
    client = make_client(settings)
    record = make_record("https://a.example/verdict", "Une vraie défaite pour l'autonomie technologique française. "
                         "Mistral AI s'adosse à Nvidia.", title="Mistral AI et Nvidia", orgs={"Mistral AI": -0.6})
    record.enrichment.entity_sentiment["Mistral AI"] = Sentiment(
        label="negative", score=-0.6, confidence=0.87, evidence=["Une vraie défaite pour l'autonomie [/x] française."])
    record.enrichment.sentiment = Sentiment(label="negative", score=-0.5, confidence=0.76,
                                            evidence=["Une vraie défaite pour l'autonomie technologique française."])
    index_enriched(client, settings, [record])
    try:
        company = search_articles(client, settings, "défaite").hits[0]["companies"][0]
        assert company["confidence"] == 0.87 and company["evidence"][0].startswith("Une vraie défaite")
        proc = _cli("search", "défaite")
        assert proc.returncode == 0, proc.stderr
        assert "Mistral AI negative (confidence 0.87): “Une vraie défaite pour l'autonomie [/x] française.”" in proc.stdout
        # an analyst overrules the model: its confidence and evidence are shown as the model's
        from pipeline.corrections import set_tone

        set_tone(client, settings, record.article.id, "positive", company="Mistral AI", analyst="bob")
        company = search_articles(client, settings, "défaite").hits[0]["companies"][0]
        assert (company["tone"], company["corrected_by"], company["model_label"]) == ("positive", "bob", "negative")
        assert company["confidence"] is None and company["evidence"] == []
        assert company["model_confidence"] == 0.87 and company["model_evidence"][0].startswith("Une vraie défaite")
        proc = _cli("search", "défaite")
        assert proc.returncode == 0, proc.stderr
        assert ("Mistral AI positive (corrected by bob; model said negative, 0.87): the model's evidence for "
                "negative: “Une vraie défaite") in proc.stdout
        # the article's own tone: in --json the model's confidence and evidence stay the model's; marked in the terminal
        set_tone(client, settings, record.article.id, "positive", analyst="carol")
        proc = _cli("search", "défaite", "--json")
        assert proc.returncode == 0, proc.stderr
        (hit,) = json.loads(proc.stdout)["results"]
        assert hit["sentiment"]["label"] == "positive" and hit["sentiment"]["corrected_by"] == "carol"
        assert "confidence" not in hit["sentiment"] and "evidence" not in hit["sentiment"]
        assert hit["sentiment"]["model_confidence"] == 0.76 and hit["sentiment"]["model_label"] == "negative"
        (toward,) = hit["company_sentiment"]
        assert "confidence" not in toward and "evidence" not in toward and toward["model_confidence"] == 0.87
        proc = _cli("search", "défaite")
        assert "tone positive (corrected by carol; model said negative, 0.76)" in proc.stdout, proc.stdout
    finally:
        drop(client, settings.es_index_prefix)


# A compound and its parts, apart, in either order, and a page of the other language saying it without the hyphen.
HYPHEN_PAGES = [
    ("https://h.example/record", "en", "Nvidia posts record revenue", "Nvidia posts record revenue for the quarter."),
    ("https://h.example/crowd", "en", "A record crowd", "A record crowd came, and revenue was flat."),
    ("https://h.example/fell", "en", "Revenue fell", "Revenue fell: no record this year."),
    ("https://h.example/open", "en", "An open-source model", "Mistral AI released an open-source model."),
    ("https://h.example/opened", "en", "Registration opened", "Nvidia opened a registration window for the source."),
    ("https://h.example/startup", "fr", "Une start-up lève des fonds",
     "Une start-up installée à Saint-Ouen, en Île-de-France, lève des fonds pour son logiciel open source."),
    ("https://h.example/villes", "fr", "Villes", "Saint Denis accueille le salon, Ouen n'y était pas ; la France et "
                                              "l'Île de Ré aussi. Le salon démarre : up, start."),
]


@pytest.fixture
def hyphen_indexed(es_url):
    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [make_record(url, text, title=title, lang=lang, published=_at(10 + i))
                                      for i, (url, lang, title, text) in enumerate(HYPHEN_PAGES)])
    yield settings, client
    drop_prefix(client, settings.es_index_prefix)


def test_hyphenated_word_means_both_parts_adjacent_like_the_quoted_phrase(hyphen_indexed):
    settings, client = hyphen_indexed
    expected = {
        "record-revenue": {"https://h.example/record"},
        "revenue-record": set(),
        "open-source": {"https://h.example/open", "https://h.example/startup"},
        "start-up": {"https://h.example/startup"},
        "Saint-Ouen": {"https://h.example/startup"},
        "Île-de-France": {"https://h.example/startup"},
        "ile-de-france": {"https://h.example/startup"},
    }
    for word, urls in expected.items():
        assert _urls(search_articles(client, settings, word)) == urls, word
        assert _urls(search_articles(client, settings, f'"{word}"')) == urls, word  # same as the quoted phrase
        # the fast path: one clause on the exact copy (a match_phrase, or one `intervals` clause for the word's
        # spellings), never the query parser (which reads "-" as NOT)
        query = json.dumps(build_search(settings, word)["query"], ensure_ascii=False)
        assert "simple_query_string" not in query and (
            f'"search.fr.exact": "{word}"' in query
            or f'"search.fr.exact": {{"any_of": {{"intervals": [{{"match": {{"query": "{word}"' in query), word
    # with operators the query parser runs, and the hyphenated word is still the phrase; a leading "-" is NOT
    assert _urls(search_articles(client, settings, "open-source OR record-revenue")) == {
        "https://h.example/open", "https://h.example/startup", "https://h.example/record"}
    assert _urls(search_articles(client, settings, "Nvidia -record-revenue")) == {"https://h.example/opened"}
    assert _urls(search_articles(client, settings, "(model OR window) AND NOT open-source")) == {
        "https://h.example/opened"}
    hit = search_articles(client, settings, "record-revenue").hits[0]
    assert any("\ue000record revenue\ue001" in p or "\ue000record\ue001 \ue000revenue\ue001" in p
               for p in hit["passages"])


def test_a_word_pasted_with_a_typographic_hyphen_or_an_invisible_character_is_the_word_typed(hyphen_indexed):
    """`start‑up` copied from a web page (a non-breaking hyphen, U+2011) was the two words anywhere, so it found a
    page saying "up, start" and missed the phrase's spellings; a soft hyphen or a zero-width space copied inside
    `Nvi­dia` made a word no page has. They now read as the hyphen, or nothing, typed on a keyboard."""
    settings, client = hyphen_indexed
    for pasted, typed in (("start\u2011up", "start-up"), ("start\u2010up", "start-up"),
                          ("open\u2011source", "open-source"),
                          ("Nvi\u00addia", "Nvidia"), ("\ufeffNvidia\u200b record", "Nvidia record"),
                          ("Nvidia \u2011record\u2011revenue", "Nvidia -record-revenue"),
                          # direction marks copied from a right-to-left page or title (`Nvidia` + RLM found nothing)
                          ("Nvidia\u200f", "Nvidia"), ("\u202bNvidia\u202c record", "Nvidia record"),
                          ("\u2067open-source\u2069", "open-source"), ("\u061cNvidia\u200e", "Nvidia")):
        expected = _urls(search_articles(client, settings, typed))
        assert expected and _urls(search_articles(client, settings, pasted)) == expected, pasted
    # an alert rule's query_string reads them so too
    from pipeline.alerts.evaluate import rule_text_query
    from pipeline.alerts.rules import Rule

    def sent(query: str) -> str:
        channels = [{"type": "email", "to": ["d@example.org"]}]
        return rule_text_query(Rule(name="r", query_string=query, channels=channels))

    assert sent("start\u2011up AND Nvi\u00addia") == sent("start-up AND Nvidia")
    assert sent("\u202bNvidia\u202c AND record\u200f") == sent("Nvidia AND record")


def test_an_english_possessive_on_a_hyphenated_word_finds_the_word_with_or_without_it(hyphen_indexed):
    """`start-up's` was the phrase "start-up's" on the `.exact` copy, which keeps `up's` whole (the English field's
    possessive stemmer never saw it): it found no « start-up ». Now it is the word with or without the possessive,
    in search and in alert rules alike; a leading `-` still leaves out."""
    from pipeline.alerts.evaluate import hyphenated_phrases as rule_phrases

    settings, client = hyphen_indexed
    extra = make_record("https://h.example/founders", "The start-up’s founders met Nvidia.", title="Founders",
                        lang="en", published=_at(25))
    index_enriched(client, settings, [extra])
    both = {"https://h.example/startup", "https://h.example/founders"}
    for query in ("start-up's", "start-up’s", "Start-Up's", "start-up's OR record-revenue"):
        found = _urls(search_articles(client, settings, query))
        assert found == both | ({"https://h.example/record"} if "OR" in query else set()), query
    assert _urls(search_articles(client, settings, "Nvidia -start-up's")) == {
        "https://h.example/record", "https://h.example/opened"}
    assert rule_phrases("start-up's AND Nvidia") == '("start-up\'s" OR "start-up" OR "start-ups" OR startup) AND Nvidia'


def test_a_word_or_phrase_finds_it_followed_by_an_english_possessive(hyphen_indexed):
    """`start-up` and "Mistral AI" missed "the start-up’s founders" and "Mistral AI's plan": the `.exact` copy, where
    hyphenated words, phrases and keyword rules are matched, kept `up’s` and `ai's` whole. It now drops the possessive
    as the English field does (mapping version 4), in search and in keyword alert rules alike."""
    from pipeline.alerts.evaluate import find_matches
    from pipeline.alerts.rules import Rule

    settings, client = hyphen_indexed
    founders = make_record("https://h.example/founders", "The start-up’s founders met Nvidia.", title="Founders",
                           lang="en", published=_at(25))
    plan = make_record("https://h.example/plan", "Mistral AI's plan for Europe, and OpenAI’S reply.", title="Plan",
                       lang="en", published=_at(26))
    index_enriched(client, settings, [founders, plan])
    assert _urls(search_articles(client, settings, "start-up")) == {"https://h.example/startup",
                                                                     "https://h.example/founders"}
    for query in ('"Mistral AI"', "“Mistral AI” plan", '"Mistral AI" OR record-revenue', '"OpenAI reply"'):
        assert "https://h.example/plan" in _urls(search_articles(client, settings, query)), query
    rule = Rule(name="Mistral AI press", keywords=["Mistral AI"], channels=[{"type": "email", "to": ["d@example.org"]}])
    assert {item.url for item in find_matches(client, settings, rule, None)} == {"https://h.example/plan",
                                                                              "https://h.example/open"}


# « start-up », « start-ups », « startups », "startup", "start-ups" in French and English copy, and pages that have the
# two words apart or in another compound
COMPOUND_PAGES = [
    ("https://c.example/fr-start-up", "fr", "Une start-up lève des fonds",
     "Une start-up de Saint-Ouen lève des fonds."),
    ("https://c.example/fr-start-ups", "fr", "Les start-ups", "Les start-ups françaises recrutent."),
    ("https://c.example/fr-startups", "fr", "Les startups", "Les startups du cloud souverain recrutent."),
    ("https://c.example/en-startup", "en", "The startup", "The startup sent an email to Nvidia."),
    ("https://c.example/en-start-ups", "en", "Start-ups", "European start-ups hire; the e-mails say so."),
    ("https://c.example/en-apart", "en", "Upstart", "Start the engine, then up we go with Nvidia."),
]


def test_a_hyphenated_word_finds_its_plural_and_its_spelling_without_hyphen(es_url):
    """`start-up` found « start-up » only: not « start-ups », « startups », "startup" (the phrase on the unstemmed
    `.exact` copy). It now finds every spelling, in French and English copy, in search and alert rules alike; the two
    words apart are still not it, the quoted phrase is still exact, `-start-up` leaves out every spelling, and a
    name (`Saint-Ouen`) stays its phrase."""
    from pipeline.alerts.evaluate import find_matches
    from pipeline.alerts.rules import Rule

    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [make_record(url, text, title=title, lang=lang, published=_at(10 + i))
                                      for i, (url, lang, title, text) in enumerate(COMPOUND_PAGES)])
    try:
        every = {url for url, *_ in COMPOUND_PAGES} - {"https://c.example/en-apart"}
        for query in ("start-up", "start-ups", "Start-up", "START-UP", "start-up's", "start-up OR nothingelse"):
            assert _urls(search_articles(client, settings, query)) == every, query
        assert _urls(search_articles(client, settings, '"start-up"')) == {"https://c.example/fr-start-up"}
        assert _urls(search_articles(client, settings, "Nvidia -start-up")) == {"https://c.example/en-apart"}
        assert _urls(search_articles(client, settings, "start-up recrutent")) == {"https://c.example/fr-start-ups",
                                                                                  "https://c.example/fr-startups"}
        assert _urls(search_articles(client, settings, "e-mail")) == {"https://c.example/en-startup",
                                                                      "https://c.example/en-start-ups"}
        assert parse_query("Saint-Ouen").text == '"Saint-Ouen"'
        # plain words and groups of spellings keep the single-clause path (no query parser); the spellings are one
        # clause per language, which the stand-in reads once (a clause per spelling read the stored text four times:
        # 8.5 s against 1.7 s on 1,000 stored articles), and the spelling found is marked in the passage
        body = build_search(settings, "start-up recrutent")
        assert "simple_query_string" not in json.dumps(body["query"])
        french = body["query"]["bool"]["must"][0]["bool"]["should"][0]["bool"]["must"]
        assert [list(clause) for clause in french] == [["match"], ["intervals"]], french
        (hit,) = [h for h in search_articles(client, settings, "start-up").hits
                  if h["url"] == "https://c.example/fr-startups"]
        assert any("\ue000startups\ue001" in passage for passage in hit["passages"]), hit["passages"]
        rule = Rule(name="start-ups", query_string="start-up", channels=[{"type": "email", "to": ["d@example.org"]}])
        assert {item.url for item in find_matches(client, settings, rule, None)} == every
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_word_typed_joined_finds_its_hyphenated_spelling(es_url):
    """`startup` found "startup" and « startups » but not « start-up » or « start-ups » (only `start-up` typed with the
    hyphen found every spelling). The search fields now index each hyphenated word joined too (mapping version 8), so
    the joined word finds it, stemmed (`startups` too), in search and alert rules; the passage marks the article's own
    spelling; the parts still match alone and as a phrase, and a word with an apostrophe inside is found as before."""
    from pipeline.alerts.evaluate import find_matches
    from pipeline.alerts.rules import Rule

    settings = load_settings()
    client = make_client(settings)
    pages = [*COMPOUND_PAGES,
             ("https://c.example/fr-week-end", "fr", "Le week-end", "Aujourd’hui, le week-end de l'Île-de-France."),
             ("https://c.example/other-e-mail", "de", "E-Mail", "Die E-Mail an Nvidia kam heute.")]
    index_enriched(client, settings, [make_record(url, text, title=title, lang=lang, published=_at(10 + i))
                                      for i, (url, lang, title, text) in enumerate(pages)])
    try:
        every = {url for url, *_ in COMPOUND_PAGES} - {"https://c.example/en-apart"}
        for query in ("startup", "startups", "Startups", "startup OR nothingelse", "startup*"):
            assert _urls(search_articles(client, settings, query)) == every, query
        assert _urls(search_articles(client, settings, "startup recrutent")) == {
            "https://c.example/fr-start-ups", "https://c.example/fr-startups"}
        assert _urls(search_articles(client, settings, "weekend")) == {"https://c.example/fr-week-end"}
        assert _urls(search_articles(client, settings, "email Nvidia")) == {
            "https://c.example/en-startup", "https://c.example/other-e-mail"}
        # the parts alone, a phrase across the compound, and a word with an apostrophe inside, as before
        assert _urls(search_articles(client, settings, "France week")) == {"https://c.example/fr-week-end"}
        assert _urls(search_articles(client, settings, '"week-end de l’Île-de-France" OR nothingelse')) == {
            "https://c.example/fr-week-end"}
        assert _urls(search_articles(client, settings, '"start the engine" OR nothingelse')) == {
            "https://c.example/en-apart"}
        assert _urls(search_articles(client, settings, "aujourd'hui")) == {"https://c.example/fr-week-end"}
        assert _urls(search_articles(client, settings, '"aujourd’hui le week-end" OR nothingelse')) == {
            "https://c.example/fr-week-end"}
        (hit,) = [h for h in search_articles(client, settings, "startup").hits
                  if h["url"] == "https://c.example/fr-start-up"]
        assert any("\ue000start-up\ue001" in passage for passage in hit["passages"]), hit["passages"]
        rule = Rule(name="startups", query_string="startup", channels=[{"type": "email", "to": ["d@example.org"]}])
        assert {item.url for item in find_matches(client, settings, rule, None)} == every
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_an_alert_keyword_lists_the_articles_search_lists_for_it(es_url):
    """Keywords were matched word for word on the `.exact` copies: `souveraineté` missed « souverainetés » and
    `start-up` missed « startups », which `newsroom search` finds. A keyword of one word is now read as search reads
    that word, one of several words as search reads their quoted phrase ("AI Act" still never a lone "act"), and the
    spelling found is marked in the snippet."""
    from pipeline.alerts.evaluate import find_matches, keyword_search
    from pipeline.alerts.rules import Rule

    settings = load_settings()
    client = make_client(settings)
    pages = [*COMPOUND_PAGES,
             ("https://c.example/fr-souverainetes", "fr", "Débat", "Les souverainetés numériques en débat."),
             ("https://c.example/fr-souverainete", "fr", "Cloud", "La souveraineté du cloud, l'AI Act et l’IA."),
             ("https://c.example/en-cloud-act", "en", "Warrant", "A Cloud Act warrant; AI firms act fast.")]
    index_enriched(client, settings, [make_record(url, text, title=title, lang=lang, published=_at(10 + i))
                                      for i, (url, lang, title, text) in enumerate(pages)])
    expected = {
        "souveraineté": {"https://c.example/fr-souverainetes", "https://c.example/fr-souverainete"},
        "start-up": {url for url, *_ in COMPOUND_PAGES} - {"https://c.example/en-apart"},
        "AI Act": {"https://c.example/fr-souverainete"},
        "l'IA": {"https://c.example/fr-souverainete"},
    }
    try:
        for keyword, urls in expected.items():
            rule = Rule(name=keyword, keywords=[keyword], channels=[{"type": "email", "to": ["d@example.org"]}])
            items = find_matches(client, settings, rule, None)
            assert {item.url for item in items} == urls == _urls(search_articles(client, settings,
                                                                                 keyword_search(keyword))), keyword
        rule = Rule(name="s", keywords=["souveraineté"], channels=[{"type": "email", "to": ["d@example.org"]}])
        (item,) = [i for i in find_matches(client, settings, rule, None) if i.url.endswith("souverainetes")]
        assert "\ue000souverainetés\ue001" in item.snippet, item.snippet
        # the snippet is read where the keyword matched, the search fields, and only there: highlighting the eight
        # older text fields too doubled a run's cost on the embedded store (1,000 matches: 43.6 s, now 21.6 s)
        from pipeline.alerts.evaluate import _highlight

        assert {name.split(".")[0] for name in _highlight(rule)["fields"]} == {"search"}
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_word_with_a_slash_inside_is_its_phrase_as_in_alert_rules(es_url):
    """`TCP/IP` was both words anywhere in the article (`24/7` any page with a 24 and a 7), while an alert rule's
    `query_string` reads it as its phrase: search reads it so too, and both list the same articles."""
    from pipeline.alerts.evaluate import find_matches
    from pipeline.alerts.rules import Rule

    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [
        make_record("https://s.example/tcp", "Le support TCP/IP est assuré 24/7 par OVHcloud.", title="Support"),
        make_record("https://s.example/apart", "L'IP du serveur change ; TCP reste. Ouvert 7 jours sur 7, 24 h.",
                    title="Serveur")])
    try:
        for query in ("TCP/IP", "tcp/ip", "24/7", "24/7 OVHcloud", "(TCP/IP | nothingelse)"):
            assert _urls(search_articles(client, settings, query)) == {"https://s.example/tcp"}, query
            rule = Rule(name="r", query_string=query.replace("|", "OR"), channels=[{"type": "slack"}])
            assert {item.url for item in find_matches(client, settings, rule, None)} == {"https://s.example/tcp"}, query
        assert _urls(search_articles(client, settings, "serveur -TCP/IP")) == {"https://s.example/apart"}
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_word_with_an_ampersand_inside_is_its_phrase_in_search_and_alert_rules(es_url):
    """`AT&T` found a T-Mobile story: the analysers split it into "at" and "t" and the English one drops "at" (a stop
    word), so any English article with a lone "t" matched, and `AT&T -Microsoft` any article holding "at" and "t"
    anywhere; an alert rule on "AT&T" fired on it too. A word with a `&` inside is its phrase ("at" then "t"), in
    search and in rules' `query_string`, as `TCP/IP` is."""
    from pipeline.alerts.evaluate import find_matches
    from pipeline.alerts.rules import Rule

    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [
        make_record("https://s.example/att", "AT&T signs a cloud deal with Microsoft.", title="AT&T deal", lang="en"),
        make_record("https://s.example/tmobile", "T-Mobile US grows at a fast pace, says Deutsche Telekom.",
                    title="T-Mobile results", lang="en"),
        make_record("https://s.example/fr", "AT&T et S&P : l'opérateur américain et l'agence de notation.",
                    title="Opérateurs"),
        make_record("https://s.example/at-t", "We stay at home; plan T and S or P are letters. R&D budgets grow.",
                    title="Letters", lang="en")])
    try:
        for query, found in (("AT&T", {"att", "fr"}), ("at&t", {"att", "fr"}), ("S&P", {"fr"}),
                             ("AT&T -Microsoft", {"fr"}), ("(AT&T | nothingelse)", {"att", "fr"}),
                             ("R&D", {"at-t"})):
            urls = {f"https://s.example/{name}" for name in found}
            assert _urls(search_articles(client, settings, query)) == urls, query
            rule = Rule(name="r", query_string=query.replace("|", "OR").replace(" -", " AND NOT "),
                        channels=[{"type": "slack"}])
            assert {item.url for item in find_matches(client, settings, rule, None)} == urls, query
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_an_english_possessive_finds_the_word_in_every_language(indexed):
    """`Nvidia's` found English articles only: the English field's possessive stemmer reads it as "nvidia", the
    French field keeps `nvidia's`, which no French article says. The possessive is now the word with or without it,
    in search and in alert rules' `query_string`; a word with an apostrophe inside is unchanged."""
    from pipeline.alerts.evaluate import search_spellings

    settings, client, _ = indexed
    nvidia = {"https://a.example/tribune", "https://a.example/chips"}
    for query in ("Nvidia's", "Nvidia’s", "NVIDIA'S"):
        assert _urls(search_articles(client, settings, query)) == nvidia, query
    assert _urls(search_articles(client, settings, "Nvidia's", langs=["fr"])) == {"https://a.example/tribune"}
    assert search_spellings("Nvidia's AND cloud") == "(Nvidia's OR Nvidia’s OR Nvidia) AND cloud"
    assert parse_query("aujourd'hui").text == "(aujourd'hui | aujourd’hui)"


def test_purely_negative_search_returns_the_articles_without_the_word(indexed):
    settings, client, records = indexed
    everything = {r.article.url for r in records}
    nvidia = {"https://a.example/tribune", "https://a.example/chips"}
    ai_act = {"https://a.example/fr-ai-act", "https://a.example/en-ai-act"}
    for query in ["NOT Nvidia", "-Nvidia", "-nvidia", "NOT (Nvidia)"]:
        results = search_articles(client, settings, query)
        assert _urls(results) == everything - nvidia and results.total == len(everything) - 2, query
    assert _urls(search_articles(client, settings, 'NOT "AI Act"')) == everything - ai_act
    assert _urls(search_articles(client, settings, "NOT Nvidia NOT OVHcloud")) == (
        everything - nvidia - {"https://a.example/ovh"})
    english = {r.article.url for r in records if r.article.lang == "en"}
    assert _urls(search_articles(client, settings, "NOT Nvidia", langs=["en"])) == english - nvidia


def test_cli_query_starting_with_a_dash_is_the_query_or_a_sentence_saying_to_use_double_dash(indexed):
    for args in (["search", "-Nvidia", "--json"], ["search", "--json", "--", "-Nvidia"]):
        proc = _cli(*args)
        assert proc.returncode == 0, proc.stderr
        urls = {r["url"] for r in json.loads(proc.stdout)["results"]}
        assert urls and not urls & {"https://a.example/tribune", "https://a.example/chips"}
    proc = _cli("search", "-Nvidia", "cloud")  # two query arguments: which is the query?
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "put a query that starts with '-' after `--`" in proc.stderr and "newsroom search [OPTIONS] -- " in proc.stderr
    proc = _cli("search", "cloud", "--sise", "3")  # a mistyped long option stays click's usage error
    assert proc.returncode == 2 and "No such option: --sise" in proc.stderr


def test_a_filter_with_values_in_parentheses_is_any_or_all_of_them(indexed):
    """`company:(ovh OR mistral)` was refused as "'company:' needs a value", and no query could ask for articles about
    either company (a repeated `--company` or `company:` wants both). Values in parentheses joined by OR are any of
    them, by AND (or nothing) all of them, as a word group reads; `-company:(a OR b)` leaves out any of them."""
    settings, client, records = indexed
    everything = {r.article.url for r in records}
    tribune, ovh, chips = "https://a.example/tribune", "https://a.example/ovh", "https://a.example/chips"
    assert _urls(search_articles(client, settings, "company:(ovh OR mistral)")) == {tribune, ovh}
    assert _urls(search_articles(client, settings, "company:(OVHcloud | NVIDIA)")) == {tribune, ovh, chips}
    assert _urls(search_articles(client, settings, "company:(nvidia AND mistral)")) == {tribune}
    assert _urls(search_articles(client, settings, "company:(nvidia mistral)")) == {tribune}
    assert _urls(search_articles(client, settings, "-company:(nvidia OR ovh)")) == everything - {tribune, ovh, chips}
    assert _urls(search_articles(client, settings, 'source:("le quotidien" OR "Kitchen Weekly") lang:(EN OR de)')) == {
        "https://a.example/soup"}
    results = search_articles(client, settings, "cloud topic:(ai OR nope)")
    assert results.total and [n[:28] for n in results.notes] == ["no topic is called 'nope'; t"]
    for query in ("company:(ovh OR mistral AND nvidia)", "-company:(nvidia mistral)"):
        with pytest.raises(NewsroomError, match=r"write the company: values in parentheses joined by OR"):
            search_articles(client, settings, query)


def test_cli_options_alone_list_the_articles_they_filter_newest_first(indexed):
    """`newsroom search --company nvidia` was click's usage error "Missing argument 'QUERY'", though `search
    company:nvidia` lists those articles: the query may be left out when options filter; with nothing at all, the
    sentence asking for a query."""
    proc = _cli("search", "--company", "NVIDIA", "--json")
    assert proc.returncode == 0, proc.stderr
    assert [r["url"] for r in json.loads(proc.stdout)["results"]] == ["https://a.example/chips",
                                                                      "https://a.example/tribune"]
    proc = _cli("search", "--source", "the compute ledger", "--lang", "en")
    assert proc.returncode == 0 and "1 article(s) match" in proc.stdout, proc.stderr
    proc = _cli("search")
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "Give a search query or a filter" in proc.stderr


def test_size_above_the_result_window_and_since_after_until_are_refused_in_one_sentence(indexed):
    settings, client, _ = indexed
    with pytest.raises(NewsroomError, match=r"--size must be at most 10,000"):
        build_search(settings, "cloud", size=10_001)
    assert build_search(settings, "cloud", size=10_000)["size"] == 10_000
    # the sentence coverage and mentions give, with both dates as typed (it printed one instant twice: "--since
    # (2026-12-05T00:00+01:00) must be before --until (2026-12-05T00:00+01:00)")
    with pytest.raises(NewsroomError, match=r"^--since 2026-11-21 is not before --until 2026-11-20 \(read in "
                                            r"Europe/Paris, the --until day included\): the period is empty"):
        search_articles(client, settings, "cloud", since="2026-11-21", until="2026-11-20")
    for command in (["search", "cloud"], ["mentions", "--entity", "Nvidia"]):
        proc = _cli(*command, "--size", "100000")
        assert proc.returncode == 1 and "--size must be at most 10,000" in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr and "400" not in proc.stderr
    proc = _cli("search", "cloud", "--since", "2026-11-01", "--until", "2026-10-31")
    assert proc.returncode == 1 and "--since 2026-11-01 is not before --until 2026-10-31" in proc.stderr


def test_unknown_source_language_or_topic_is_named_with_the_known_ones(indexed, tmp_path, monkeypatch):
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text("feeds:\n"
                     "  - {name: Le Quotidien, url: 'https://quotidien.example.org/rss', lang: fr, tags: [tech]}\n"
                     "  - {name: The Compute Ledger, url: 'https://ledger.example.com/feed', lang: en, tags: [tech]}\n",
                     encoding="utf-8")
    monkeypatch.setenv("NEWSROOM_FEEDS_FILE", str(feeds))
    settings, client = load_settings(), indexed[1]
    typo = search_articles(client, settings, "Nvidia", sources=["The Compute Ledgr"])
    assert typo.total == 0 and len(typo.notes) == 1
    assert "no feed is named 'The Compute Ledgr'" in typo.notes[0] and "The Compute Ledger" in typo.notes[0]
    # names any case, a domain, a source only stored articles still have: known, no note
    for sources in (["the compute ledger"], ["ledger.example.com"], ["Kitchen Weekly"], ["example.org"]):
        assert search_articles(client, settings, "Nvidia", sources=sources).notes == [], sources
    lang = search_articles(client, settings, "Nvidia", langs=["de"])
    assert lang.total == 0 and lang.notes == ["no article is in language 'de'; use a language code such as fr, en."]
    assert search_articles(client, settings, "Nvidia lang:EN").notes == []
    topic = search_articles(client, settings, "Nvidia topic:nosuchtopic")
    assert topic.total == 0 and "no topic is called 'nosuchtopic'" in topic.notes[0]
    assert "digital-sovereignty" in topic.notes[0]
    assert search_articles(client, settings, "Nvidia", topics=["AI"]).notes == []
    proc = _cli("search", "Nvidia", "--source", "The Compute Ledgr", "--lang", "de")
    assert proc.returncode == 0, proc.stderr
    assert "0 article(s) match." in proc.stdout and "note: no feed is named 'The Compute Ledgr'" in proc.stdout
    assert "note: no article is in language 'de'" in proc.stdout
    assert json.loads(_cli("search", "Nvidia", "--topic", "nosuchtopic", "--json").stdout)["notes"]


@pytest.mark.parametrize("query", [
    " | ".join(f"w{i}" for i in range(850)),  # 850 OR terms: a stack overflow in the embedded store
    "Mistral " + " ".join(f"-w{i}" for i in range(1500)),
    "(" * 3000 + "Mistral" + ")" * 3000,
])
def test_a_query_too_complex_for_the_store_is_refused_before_it_is_sent(query):
    with pytest.raises(NewsroomError, match=r"^The search query is too complex \((\d|,)+ terms, at most 200|"
                                            r"^The search query is too complex \(parentheses nested 3,000 deep, at most 50"):
        build_search(load_settings(), query)


def test_long_but_ordinary_queries_are_still_sent():
    build_search(load_settings(), " | ".join(f"w{i}" for i in range(200)))
    build_search(load_settings(), "(" * 50 + "Mistral" + ")" * 50 + ' "a (((" \\( ' + "a-b " * 150)
    build_search(load_settings(), " ".join(f"word{i}" for i in range(1000)))  # plain words: one `match` clause


def test_a_store_that_dies_while_answering_is_not_reported_as_never_started(monkeypatch, capsys):
    """The store answered the version probe, then dropped the search: the message says it stopped while answering
    and points at its log, not "start it"."""
    from _reply_server import ReplyServer

    from pipeline.cli import main
    from pipeline.store.client import CompatTransport

    monkeypatch.setattr(CompatTransport, "answered", False)
    with ReplyServer("dies") as server:
        monkeypatch.setenv("NEWSROOM_ES_URL", server.url)
        monkeypatch.setenv("NEWSROOM_ES_RETRIES", "0")
        with pytest.raises(SystemExit) as exc:
            main(["search", "Mistral"])
    err = " ".join(capsys.readouterr().err.split())
    assert exc.value.code == 1 and "Traceback" not in err
    assert "Elasticsearch stopped while answering" in err and "may have crashed it" in err
    assert "cluster's logs" in err and "unreachable" not in err


def test_a_search_too_slow_for_the_store_is_said_to_be_too_heavy_not_the_store_unreachable(indexed, monkeypatch,
                                                                                             capsys):
    """`search '*' --size 10000` on 5,000 stored articles took more than the request timeout on the stand-in (load
    ≈ 9): the store had answered the version probe, yet the sentence said it was unreachable ("check NEWSROOM_ES_URL
    and that the cluster is up"), after trying it 3 more times. A proxy holds the stand-in's search replies past a
    shortened timeout."""
    import time

    from _es_proxy import IlmProxy

    from pipeline.cli import main
    from pipeline.settings import get_settings
    from pipeline.store import client as store_client

    settings, _, _ = indexed

    def slow_search(body: bytes) -> bytes:
        if b'"hits"' in body:
            time.sleep(1.5)
        return body

    monkeypatch.setattr(store_client, "REQUEST_TIMEOUT", 0.5)
    monkeypatch.setattr(store_client, "MAX_RETRIES", 1)
    with IlmProxy(settings.es_url, replies=slow_search) as proxy:
        monkeypatch.setenv("NEWSROOM_ES_URL", proxy.url)
        get_settings.cache_clear()
        with pytest.raises(SystemExit) as exc:
            main(["search", "*", "--size", "10000"])
    err = " ".join(capsys.readouterr().err.split())
    assert exc.value.code == 1 and "Traceback" not in err, err
    assert f"Elasticsearch at {proxy.url} answered, then took more than 0.5 s over this request" in err, err
    assert "Narrow it (--since/--until, filters, a smaller --size)" in err and "unreachable" not in err, err
    # sent once: each try took as long, and the stand-in ran every abandoned one to its end, answering nothing else
    searches = [path for _, path, _ in proxy.requests if path.endswith("/_search")]
    assert searches == [f"/{settings.es_index_prefix}-articles/_search"], searches


@pytest.fixture
def words_indexed(es_url):
    """French and English articles with accents, capitals, elisions, hyphens; two sources, three companies."""
    settings = load_settings()
    client = make_client(settings)
    records = [
        make_record("https://w.example/fr-energie", "Mistral AI signe avec un producteur d'énergie nucléaire. La "
                    "start-up parisienne se félicite.", title="Un accord pour Mistral AI", orgs={"Mistral AI": 0.3},
                    source="Dépêche Éco", published=_at(20)),
        make_record("https://w.example/fr-caps", "Les prix flambent devant le Sénat, et la facture d'OVHcloud aussi.",
                    title="ÉNERGIE : la facture", orgs={"OVHcloud": -0.3}, source="Dépêche Éco", published=_at(21)),
        make_record("https://w.example/fr-nvidia", "Nvidia et Mistral AI concluent une alliance européenne.",
                    title="Nvidia et Mistral AI", orgs={"Nvidia": 0.1, "Mistral AI": 0.1}, source="Dépêche Éco",
                    published=_at(22)),
        make_record("https://w.example/en-chips", "Nvidia and other chipmakers rally; OVHcloud wins praise and says "
                    "it is ready for the AI Act.", title="Chipmakers rally", lang="en", orgs={"Nvidia": 0.2,
                    "OVHcloud": 0.4}, source="The Ledger", published=_at(23)),
        make_record("https://w.example/en-nvidia", "Nvidia results beat expectations.", title="Nvidia results",
                    lang="en", orgs={"Nvidia": 0.5}, source="The Ledger", published=_at(24)),
    ]
    index_enriched(client, settings, records)
    yield settings, client
    drop_prefix(client, settings.es_index_prefix)


def _names(settings, client, query: str, **options) -> list[str]:
    return sorted(h["url"].rsplit("/", 1)[-1] for h in search_articles(client, settings, query, **options).hits)


def test_a_prefix_matches_words_as_typed_case_accents_and_elisions_folded(words_indexed):
    """The language fields hold stems ("energ", "chipmak"): a typed word followed by `*` must still find it."""
    settings, client = words_indexed
    energie = ["fr-caps", "fr-energie"]
    assert _names(settings, client, "énergie") == energie
    for query in ["énerg*", "energie*", "énergie*", "ÉNERGIE*", "ENERG*", "l'énergie*"]:
        assert _names(settings, client, query) == energie, query
    assert _names(settings, client, "Sénat*") == _names(settings, client, "senat*") == ["fr-caps"]
    assert _names(settings, client, "chipmaker*") == ["en-chips"]
    assert _names(settings, client, "start-up*") == ["fr-energie"]
    assert _names(settings, client, "européen*") == ["fr-nvidia"]
    assert _names(settings, client, "Nvidia -énergie*") == ["en-chips", "en-nvidia", "fr-nvidia"]
    # what real Elasticsearch is sent: the folded prefix, on the exact copy too, not run through the stemmers
    body = json.dumps(build_search(settings, "Sénat* | start-up*")["query"], ensure_ascii=False)
    assert '"query": "senat* | (start up*)"' in body and '"analyze_wildcard": false' in body
    assert '"fields": ["search.fr", "search.fr.exact"]' in body


def test_negated_field_filters_exclude_and_grouped_ones_are_refused(words_indexed):
    settings, client = words_indexed
    english = _names(settings, client, "Nvidia lang:en")
    assert english == ["en-chips", "en-nvidia"]
    for query in ["Nvidia NOT lang:fr", "Nvidia -lang:fr", "Nvidia AND NOT lang:FR", "-lang:fr Nvidia"]:
        assert _names(settings, client, query) == english, query
    assert _names(settings, client, 'Nvidia -source:"The Ledger"') == ["fr-nvidia"]
    assert _names(settings, client, 'NOT source:"the ledger"') == ["fr-caps", "fr-energie", "fr-nvidia"]
    assert _names(settings, client, "Nvidia -company:mistral") == english
    assert _names(settings, client, "Nvidia NOT company:Mistral") == english
    assert _names(settings, client, "Nvidia AND lang:en") == english
    for query in ["(lang:fr)", "Nvidia OR lang:fr", "Nvidia | -lang:fr", "Nvidia (OVHcloud -source:x)"]:
        with pytest.raises(NewsroomError, match="cannot be inside parentheses or joined with OR"):
            search_articles(client, settings, query)


def test_bad_syntax_is_read_as_words_with_a_note(words_indexed):
    settings, client = words_indexed
    nvidia = _names(settings, client, "Nvidia")
    for query in ["Nvidia AND (", "Nvidia)", "(Nvidia", "Nvidia |"]:
        results = search_articles(client, settings, query)
        assert sorted(h["url"].rsplit("/", 1)[-1] for h in results.hits) == nvidia, query
        assert results.notes or query == "Nvidia |", query
    unclosed = search_articles(client, settings, 'Nvidia source:"The Ledger')
    assert {h["source"] for h in unclosed.hits} == {"The Ledger"} and "closing quote" in unclosed.notes[0]
    with pytest.raises(NewsroomError, match=r"'lang:' needs a value, e.g. lang:fr"):
        search_articles(client, settings, "lang:")


def test_filters_narrow_a_search_a_repeated_option_is_any_of_its_values(words_indexed):
    """The red-team found `topic:hpc AND topic:funding` and `lang:fr --lang en` widening the search (values OR-ed)."""
    settings, client = words_indexed
    ledger, depeche = ["en-chips", "en-nvidia"], ["fr-nvidia"]
    assert _names(settings, client, 'Nvidia source:"The Ledger"') == ledger
    assert _names(settings, client, 'Nvidia source:"The Ledger" source:"Dépêche Éco"') == []
    assert _names(settings, client, 'Nvidia source:"The Ledger" AND source:"Dépêche Éco"') == []
    assert _names(settings, client, 'Nvidia source:"The Ledger"', sources=["Dépêche Éco"]) == []
    assert _names(settings, client, "Nvidia", sources=["Dépêche Éco", "The Ledger"]) == sorted(depeche + ledger)
    assert _names(settings, client, "Nvidia lang:fr", langs=["en"]) == []
    assert _names(settings, client, "Nvidia lang:fr lang:en") == []
    assert _names(settings, client, "Nvidia lang:en", langs=["en", "fr"]) == ledger
    topics = build_search(settings, "Nvidia topic:hpc topic:funding", topics=["ai", "cloud"])["query"]["bool"]["filter"]
    assert len(topics) == 3  # the two options as one clause (either), each query filter a clause of its own


def test_a_language_or_topic_pasted_with_spaces_around_it_is_that_language_or_topic(words_indexed):
    """`--lang "fr "` or `--topic " ai"` (a spreadsheet cell, a shell variable built with a space) found nothing, with a
    note that no article is in language 'fr ': the value is read without the spaces around it, as `--source` is."""
    settings, client = words_indexed
    french = _names(settings, client, "Nvidia", langs=["fr"])
    assert french and _names(settings, client, "Nvidia", langs=[" FR "]) == french
    assert _names(settings, client, "Nvidia", topics=[" ai\t"]) == _names(settings, client, "Nvidia", topics=["ai"])
    assert _names(settings, client, "Nvidia", topics=["ai"])
    assert search_articles(client, settings, "Nvidia", langs=["fr "], topics=[" ai"]).notes == []


def test_an_operator_or_group_with_no_word_and_an_empty_phrase_are_ignored_with_a_note(words_indexed):
    """`cloud NOT` found nothing (NOT read as a word) and `""` matched every article: both silently."""
    settings, client = words_indexed
    nvidia = _names(settings, client, "Nvidia")
    for query in ["Nvidia NOT", "Nvidia AND NOT", "Nvidia (NOT)", "Nvidia ()", "Nvidia OR NOT", 'Nvidia ""',
                  'Nvidia "  "', "Nvidia AND", "Nvidia |", "Nvidia OR OR"]:
        results = search_articles(client, settings, query)
        assert sorted(h["url"].rsplit("/", 1)[-1] for h in results.hits) == nvidia, query
        assert results.notes, query
    assert _names(settings, client, '"Nvidia" "Mistral AI"') == ["fr-nvidia"]  # a space between phrases is no phrase
    assert _names(settings, client, "Nvidia (NOT Mistral)") == ["en-chips", "en-nvidia"]
    # an operator alone is no query either (AND, OR, + and | answered "0 article(s) match" without a note)
    for query in ['""', '"', "NOT", "()", "AND", "OR", "+", "|", "OR OR", "( AND )", "-"]:
        with pytest.raises(NewsroomError, match="Give a search query or a filter"):
            search_articles(client, settings, query)


def test_an_elided_word_finds_what_its_quoted_form_finds(words_indexed):
    """`d'OVHcloud` unquoted: the English analyser keeps "d'ovhcloud" whole, so English articles were missed."""
    settings, client = words_indexed
    for word in ["d'OVHcloud", "l'AI Act", "d’OVHcloud"]:
        quoted = _names(settings, client, f'"{word}"')
        assert quoted and set(_names(settings, client, word)) >= set(quoted), word
    assert "en-chips" in _names(settings, client, "d'OVHcloud")


def test_search_json_states_the_period_and_relevance_is_not_the_tone(words_indexed, tmp_path):
    proc = _cli("search", "Nvidia", "--since", "2026-11-22", "--until", "2026-11-23", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert (data["since"], data["until"], data["period"]) == (
        "2026-11-22T00:00:00+01:00", "2026-11-24T00:00:00+01:00", "2026-11-22 → 2026-11-23 (Europe/Paris)")
    assert data["total"] == 2 and all("score" not in hit and hit["relevance"] > 0 for hit in data["results"])
    data = json.loads(_cli("search", "Nvidia", "--json").stdout)
    assert (data["since"], data["until"], data["period"]) == (None, None, "")
    out = tmp_path / "r.csv"
    assert _cli("search", "Nvidia results", "--csv", str(out)).returncode == 0
    row = next(csv.DictReader(out.open(encoding="utf-8")))
    assert "score" not in row and (row["tone"], row["tone_score"]) == ("neutral", "0.0")


@pytest.mark.parametrize("query, text", [
    ("(" * 20_000 + ")" * 20_000, ""),  # nested empty groups
    ("(-" * 20_000 + ")" * 20_000, ""),
    (")" * 20_000 + " cloud", "cloud"),  # unmatched parentheses
    ("cloud" + " -" * 20_000 + " x", "cloud" + " -" * 20_000 + " x"),  # operators before a last word stay
    ("cloud" + " |" * 20_000, "cloud"),  # operators with nothing after them go
    ("cloud " + "( " * 20_000 + "x", "cloud x"),
    ("x " + "’" * 20_000, "x " + "’" * 20_000),  # a run of punctuation: the `?` note's scan
    ("x " + "!." * 10_000 + "a", "x " + "!." * 10_000 + "a"),
])
def test_a_query_of_pathological_syntax_is_read_in_linear_time(query, text):
    """Hostile-input audit, sixth round: empty groups were taken out one level a pass, unmatched parentheses each
    rebuilt a set of all of them, and the operators ending a query were looked for from every position: 20,000
    nested `()` took 11 s of CPU, 20,000 `)` 6.5 s, `cloud` and 20,000 ` -` before a last word 41 s (before the
    query reached the term and depth limits). Now 0.05 s each, the same reading. (Queries audit, fourth round: the
    `?`-inside-a-word note was looked for from every position of a word, 20,000 `’` took 5 s.)"""
    import time

    cpu = time.process_time()
    assert " ".join(parse_query(query).text.split()) == " ".join(text.split())
    assert time.process_time() - cpu < 1


def test_company_tone_filter_reads_the_article_tone_where_none_was_measured_toward_the_company(es_url):
    """A language without a tone model leaves no tone toward a company; the article's stands in for it (the
    mentions index, `mentions --tone`, the result line): `--company-tone` must find the same articles."""
    from pipeline.coverage import list_mentions

    settings = load_settings()
    client = make_client(settings)
    partial = make_record("https://t.example/partial", "Nvidia steht wegen Kartellvorwürfen in der Kritik.",
                          title="Kritik an Nvidia", lang="de", orgs={"Nvidia": -0.6}, score=-0.6)
    partial.enrichment.entity_sentiment = {}  # as the enricher leaves a language it has no model for
    measured = make_record("https://t.example/measured", "Nvidia gagne un contrat malgré un marché morose.",
                           title="Nvidia gagne", orgs={"Nvidia": 0.5}, score=-0.4)
    unrelated = make_record("https://t.example/unrelated", "Mistral AI perd un contrat.", title="Mistral AI perd",
                            orgs={"Mistral AI": -0.5}, score=-0.5)
    index_enriched(client, settings, [partial, measured, unrelated])
    try:
        negative = search_articles(client, settings, "", company_tones={"nvidia": "negative"})
        assert _urls(negative) == {"https://t.example/partial"}
        assert negative.hits[0]["companies"][0] == {**negative.hits[0]["companies"][0], "company": "Nvidia",
                                                    "tone": "negative", "measured": False}
        assert _urls(search_articles(client, settings, "", company_tones={"Nvidia": "positive"})) == {
            "https://t.example/measured"}
        rows, _ = list_mentions(client, settings, ["Nvidia"], since="2026-11-01", until="2026-11-30", tone="negative")
        assert {row["url"] for row in rows} == _urls(negative)
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_an_article_in_a_language_without_a_tone_model_has_no_tone_for_any_reader(es_url):
    """A German page (no tone model: enrichment level `partial`) was stored with the placeholder article tone
    `neutral 0.0`: `--tone neutral`, `--company-tone Nvidia=neutral`, an alert on the article's tone and one on the
    tone toward Nvidia (the article's standing in) all took it for a neutral article. Its tone is now absent, read by
    every one of them as not read; a French article read neutral still is."""
    from pipeline.alerts.evaluate import find_matches
    from pipeline.alerts.rules import Rule
    from pipeline.coverage import coverage_by_source
    from pipeline.models import Enrichment

    settings = load_settings()
    client = make_client(settings)
    german = make_record("https://u.example/de", "Nvidia baut ein Rechenzentrum in Bayern.", title="Nvidia baut",
                         lang="de", orgs={"Nvidia": 0.0}, score=0.0)
    german = german.model_copy(update={"enrichment": Enrichment(**{**german.enrichment.model_dump(),
                                                                   "level": "partial", "entity_sentiment": {}})})
    french = make_record("https://u.example/fr", "Nvidia construit un centre de données en Bavière.",
                         title="Nvidia construit", orgs={"Nvidia": 0.0}, score=0.0)
    index_enriched(client, settings, [german, french])
    try:
        stored = client.get(index=index_names(settings.es_index_prefix)["articles"], id=german.article.id)
        assert "sentiment" not in stored["_source"]
        read_neutral = {"https://u.example/fr"}
        assert _urls(search_articles(client, settings, "Nvidia", tone="neutral")) == read_neutral
        assert _urls(search_articles(client, settings, "", company_tones={"Nvidia": "neutral"})) == read_neutral
        assert _urls(search_articles(client, settings, "Nvidia")) == read_neutral | {"https://u.example/de"}
        channels = [{"type": "email", "to": ["d@example.org"]}]
        for rule in (Rule(name="calm", companies=["Nvidia"], sentiment_of="article", min_sentiment=-0.1,
                          max_sentiment=0.1, channels=channels),
                     Rule(name="calm toward", companies=["Nvidia"], min_sentiment=-0.1, max_sentiment=0.1,
                          channels=channels)):
            assert {item.url for item in find_matches(client, settings, rule, None)} == read_neutral, rule.name
        (row,) = coverage_by_source(client, settings, ["Nvidia"], since="2026-11-01", until="2026-11-30")["rows"]
        assert (row["mentions"], row["neutral"]) == (2, 1), row
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_word_with_an_apostrophe_finds_it_typed_either_way(es_url):
    """French copy mostly types ’ (« aujourd’hui », « Moody’s »), analysts type ': the stemmed fields keep the
    apostrophe as written, so `aujourd'hui` found only the pages typing ' (quoted, on the `.exact` copy, both)."""
    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [
        make_record("https://q.example/curly", "Aujourd’hui, l’agence Moody’s abaisse la note de la Côte d’Ivoire.",
                    title="Note abaissée", published=_at(20)),
        make_record("https://q.example/straight", "Aujourd'hui, l'agence Moody's relève la note du Sénégal.",
                    title="Note relevée", published=_at(21)),
        make_record("https://q.example/en-curly", "The agency says it won’t change the rating.", title="Rating",
                    lang="en", published=_at(22)),
        make_record("https://q.example/en-straight", "The agency says it won't change the outlook.", title="Outlook",
                    lang="en", published=_at(23)),
    ])
    try:
        french, english = {"curly", "straight"}, {"en-curly", "en-straight"}
        for query in ["aujourd'hui", "aujourd’hui", '"aujourd’hui"', "aujourd’h*", "Aujourd'hui AND note"]:
            assert set(_names(settings, client, query)) == french, query
        for query in ["won't", "won’t", "won't change"]:
            assert set(_names(settings, client, query)) == english, query
        assert set(_names(settings, client, "Moody's note")) == french
        assert _names(settings, client, "Moody’s Sénégal") == ["straight"]
        assert set(_names(settings, client, "NOT aujourd'hui")) == english
        assert set(_names(settings, client, "-won’t")) == french
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_an_apostrophe_typed_with_another_key_is_an_apostrophe_in_phrases_and_alert_keywords(es_url, tmp_path,
                                                                                                monkeypatch):
    """`aujourd`hui` (a backtick), `won´t` (an acute accent, as keyboards without a handy ' type it), a prime or a
    full-width apostrophe between two letters were word breaks: the phrase `"aujourd`hui la"` and the alert keyword
    `aujourd`hui` found nothing though « Aujourd’hui la… » was stored (unquoted, search found it by the word's parts)."""
    from _alerts_helpers import write_rules

    from pipeline.alerts import run_alerts

    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [
        make_record("https://ap.example/curly", "Aujourd’hui la souveraineté se joue ici.", title="Souveraineté",
                    published=_at(20)),
        make_record("https://ap.example/straight", "Aujourd'hui encore, le cloud attend.", title="Cloud",
                    published=_at(21)),
        make_record("https://ap.example/en", "The agency says it won’t change the rating.", title="Rating",
                    lang="en", published=_at(22)),
    ])
    monkeypatch.setenv("NEWSROOM_ALERTS_INITIAL_LOOKBACK_HOURS", "8000")
    try:
        for query in ['"aujourd`hui la"', '"aujourd´hui la"', '"aujourd′hui la"', '"aujourd＇hui la"']:
            assert _names(settings, client, query) == ["curly"], query
        assert _names(settings, client, "won´t change") == ["en"]
        keywords = ["aujourd`hui", "aujourd´hui la", "won´t"]
        rules = write_rules(tmp_path / "alerts.yaml", [{"name": f"k{n}", "keywords": [keyword],
                                                        "channels": [{"type": "slack"}]}
                                                       for n, keyword in enumerate(keywords)])
        report = run_alerts(load_settings(), client, rules_file=rules, dry_run=True)
        alerted = [sorted(item["url"].rsplit("/", 1)[-1] for message in report["per_rule"][f"k{n}"]["would_send"]
                          for item in message["items"]) for n in range(len(keywords))]
        assert alerted == [["curly", "straight"], ["curly"], ["en"]]
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_page_typing_the_modifier_letter_apostrophe_is_found_by_its_words(es_url):
    """Some publishing tools type ’ as U+02BC (« lʼagence Moodyʼs »), a letter to the analysers' tokenizer: the whole
    « lʼagence » was one word, so `agence`, `l'agence`, `Moody's` and `aujourd'hui` found nothing on such a page."""
    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [
        make_record("https://ma.example/fr", "Aujourdʼhui, lʼagence Moodyʼs abaisse la note.", title="Note abaissée",
                    published=_at(20)),
        make_record("https://ma.example/en", "The firm says it wonʼt change Nvidiaʼs rating.", title="Rating",
                    lang="en", published=_at(21)),
    ])
    try:
        for query in ["agence", "l'agence", "aujourd'hui", "Moody's", "Moody", '"l’agence Moody’s"']:
            assert _names(settings, client, query) == ["fr"], query
        for query in ["won't", "Nvidia", "Nvidia's rating"]:
            assert _names(settings, client, query) == ["en"], query
        passages = search_articles(client, settings, "agence").hits[0]["passages"]
        assert any("agence" in passage and MARK_START in passage for passage in passages), passages
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_typographic_quotes_and_guillemets_quote_a_phrase(indexed):
    """“AI Act” (a word processor's or a phone's quotes) and « cloud souverain » are phrases, as with "…": read as
    words, “AI Act” found the French page saying « J'ai » and "act", and “souverain cloud” the pages saying
    « cloud souverain »."""
    settings, client, _ = indexed
    ai_act = _urls(search_articles(client, settings, '"AI Act"'))
    assert ai_act == {"https://a.example/fr-ai-act", "https://a.example/en-ai-act"}
    for query in ["“AI Act”", "« AI Act »", "«AI Act»", "„AI Act“"]:
        assert _urls(search_articles(client, settings, query)) == ai_act, query
    assert _urls(search_articles(client, settings, "« cloud souverain »")) == {
        "https://a.example/tribune", "https://a.example/ovh"}
    assert _urls(search_articles(client, settings, "“souverain cloud”")) == set()
    assert parse_query("source:«Le Quotidien» “AI Act”").sources == ["Le Quotidien"]


def test_single_quotes_around_words_quote_a_phrase_too(indexed):
    """'AI Act' (single quotes, a shell's or a spreadsheet's habit) and ‘AI Act’ were words: they found the French page
    saying « J'ai » and "act". Single quotes opening a word and closing a later one are now a phrase as "…" is; an
    apostrophe inside a word (l'IA, Moody's, aujourd'hui) is left as it was."""
    settings, client, _ = indexed
    ai_act = _urls(search_articles(client, settings, '"AI Act"'))
    for query in ["'AI Act'", "‘AI Act’", "('AI Act' OR 'Cloud Act') -Nvidia"]:
        expected = ai_act if "Cloud" not in query else _urls(search_articles(client, settings,
                                                                             '("AI Act" OR "Cloud Act") -Nvidia'))
        assert _urls(search_articles(client, settings, query)) == expected, query
    assert parse_query("l'IA Moody's 'cloud souverain' aujourd'hui").text == (
        "IA (Moody's | Moody’s | Moody) \"cloud souverain\" (aujourd'hui | aujourd’hui)")


def test_accents_and_case_are_folded_in_english_and_other_languages_too(es_url):
    """French names and words in English or German copy (« Élysée », « Cédric O », « souveraineté »): typed without
    accents, or with them where the page has none, they are found there as in French articles."""
    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [
        make_record("https://acc.example/en", "Cédric O spoke of souveraineté numérique at the Élysée.",
                    title="Sovereignty", lang="en", published=_at(20)),
        make_record("https://acc.example/en-plain", "The Elysee Palace hosted the AI summit.", title="Summit",
                    lang="en", published=_at(21)),
        make_record("https://acc.example/fr", "Cédric O défend la souveraineté numérique à l'Élysée.",
                    title="Souveraineté", published=_at(22)),
        make_record("https://acc.example/de", "Die digitale Souveränität Europas, sagt man im Élysée-Palast.",
                    title="Souveränität", lang="de", published=_at(23)),
    ])
    try:
        everywhere = ["de", "en", "en-plain", "fr"]
        for query in ["Elysee", "Élysée", "ELYSÉE", "elysée"]:
            assert _names(settings, client, query) == everywhere, query
        for query in ["souverainete", "souveraineté", "SOUVERAINETÉ"]:
            assert _names(settings, client, query) == ["en", "fr"], query
        assert _names(settings, client, "Cedric O") == ["en", "fr"]
        assert _names(settings, client, "Souveranitat") == _names(settings, client, "souveränität") == ["de"]
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_a_search_by_filters_alone_says_it_lists_newest_first(words_indexed, tmp_path):
    """With no word to rank by, results come newest first: the header and the JSON said "by relevance"."""
    settings, client = words_indexed
    results = search_articles(client, settings, "company:nvidia")
    assert results.sort == "date"
    dates = [hit["published_at"] for hit in results.hits]
    assert dates == sorted(dates, reverse=True) and len(dates) == 3
    assert search_articles(client, settings, "Nvidia company:nvidia").sort == "relevance"
    proc = _cli("search", "", "--company", "nvidia")
    assert proc.returncode == 0, proc.stderr
    assert "3 article(s) match; the first 3 by date:" in proc.stdout


def test_a_field_prefix_search_does_not_have_is_read_with_a_note_or_refused_naming_the_option(indexed):
    """`title:Mistral` (Kibana's and Lucene's habit) was read as the one word "title:mistral", found nowhere: "0
    article(s) match." and no word why. A text field's name is dropped with a note (one field holds each article's
    title, description and text); another field's name is refused in one sentence naming what to use."""
    settings, client, _ = indexed
    for query, plain in (("title:Mistral", "Mistral"), ('title:"cloud souverain"', '"cloud souverain"'),
                         ("Nvidia -TEXT:export", "Nvidia -export"), ("(title:Mistral OR text:OVHcloud)", "Mistral OR OVHcloud")):
        results = search_articles(client, settings, query)
        assert _urls(results) == _urls(search_articles(client, settings, plain)) and results.hits, query
        assert any("is not a search field" in note and "searched anywhere in the article" in note
                   for note in results.notes), query
    assert search_articles(client, settings, '"title: Mistral"').notes == []  # inside a phrase: words as written
    for query, option in (("date:2026-11-20 Mistral", "--since/--until"), ("tone:negative", "--tone"),
                          ("domain:a.example", "source:")):
        with pytest.raises(NewsroomError, match=f"is not a search field; use {re.escape(option)}"):
            search_articles(client, settings, query)


def test_a_field_prefix_typed_with_a_space_after_its_colon_is_read_as_without_it(indexed):
    """`title: Mistral` (a space after the colon, as prose writes it; « titre : Mistral » in French typography) was the
    word "title" required beside Mistral: "0 article(s) match." with no note, while `title:Mistral` found the
    articles with one. A field name alone at the end (`Nvidia text:`) was the same required word."""
    settings, client, _ = indexed
    for query, plain in (("title: Mistral", "Mistral"), ("titre : Mistral", "Mistral"), ('title: "Mistral AI"',
                                                                                        '"Mistral AI"'),
                         ("Nvidia text:", "Nvidia"), ("(TITLE:  Mistral OR text: OVHcloud)", "Mistral OR OVHcloud")):
        results = search_articles(client, settings, query)
        assert results.hits and _urls(results) == _urls(search_articles(client, settings, plain)), query
        assert any("is not a search field" in note for note in results.notes), query
    with pytest.raises(NewsroomError, match="is not a search field; use --tone"):
        search_articles(client, settings, "tone: negative")
    assert search_articles(client, settings, '"title: Mistral"').notes == []  # inside a phrase: words as written


@pytest.mark.parametrize("query, hint", [("/mistr.*/", "(mistr*)"), ("/nvid[a-z]+/", "(nvid*)"),
                                         ("cloud /souverain(e|s)?/", "(souverain*)"), ("/[0-9]{4}/", ""),
                                         ("cloud -/nvid.*/", "(nvid*)"), ("cloud OR /Nvid.*/", "(nvid*)")])
def test_a_regular_expression_is_refused_in_one_sentence_naming_what_to_write(indexed, query, hint):
    """A Lucene regular expression (`/mistr.*/`) is no search syntax here: it was read as punctuation and operators,
    "0 article(s) match." without a word why, and `/souverain(e|s)?/` required the words "e" or "s" beside
    "souverain"; `/nvid[a-z]+/` became a phrase. Refused, naming it and a prefix to write instead."""
    settings, client, _ = indexed
    with pytest.raises(NewsroomError) as exc:
        search_articles(client, settings, query)
    assert str(exc.value).startswith(f"{query.split()[-1].lstrip('-')!r} is a regular expression, which search "
                                     "does not read")
    assert hint in str(exc.value)
    # a word between slashes, a slash inside a word and a quoted expression are read as before
    assert _urls(search_articles(client, settings, "/Mistral/")) == _urls(search_articles(client, settings, "Mistral"))
    assert search_articles(client, settings, '"/mistr.*/"').notes == []
    assert search_articles(client, settings, "TCP/IP").total == 0


def test_an_unknown_name_before_a_colon_is_read_as_words_with_a_note(indexed):
    """`souverain:cloud` or `auteur:Dupont` (a field search does not have) was one word to the analysers, which keep
    a colon between letters inside it: "0 article(s) match." with no word why. The words on both sides are searched,
    with a note naming the filters; quoted, the colon stays as written, and a time (`10:30`) is left alone."""
    settings, client, _ = indexed
    results = search_articles(client, settings, "souverain:cloud")
    assert _urls(results) == _urls(search_articles(client, settings, "souverain cloud")) != set()
    assert results.notes == ["'souverain:' is no filter (the filters are source:, company:, lang: and topic:): the "
                             "words on both sides of the colon were searched."]
    assert search_articles(client, settings, '"souverain:cloud"').notes == []
    assert parse_query("10:30 auteur:Dupont").text == "10:30 auteur Dupont"


def test_a_question_mark_inside_a_word_gets_a_note_that_it_is_no_wildcard(indexed):
    """`Nvid?a` (Lucene's one-character wildcard) was split at the ? by simple_query_string and found nothing, with
    no note; a ? ending a word (a question) is punctuation, as before."""
    settings, client, _ = indexed
    results = search_articles(client, settings, "Nvid?a")
    assert results.notes == ["? is not a wildcard here (only a * ending a word is): Nvid?a was searched as the words "
                             "around the ?; write the start of the word followed by * (Nvid*)."]
    assert search_articles(client, settings, "Nvidia ?").notes == search_articles(client, settings, "Nvidia?").notes == []
    assert search_articles(client, settings, '"Nvid?a"').notes == []


def test_a_star_before_a_word_is_read_as_real_elasticsearch_reads_it_with_a_note(indexed):
    """`*istral` (a leading wildcard, as Kibana takes it) is no wildcard for simple_query_string: real Elasticsearch's
    analysers drop the * and look for the word "istral" (0 articles), while the embedded stand-in took it for a
    suffix and listed the Mistral articles; neither said a word. The * is dropped on both, with a note."""
    settings, client, _ = indexed
    results = search_articles(client, settings, "*istral")
    assert _urls(results) == _urls(search_articles(client, settings, "istral"))
    assert results.notes == ["a * before a word is no wildcard (only a * ending a word is): *istral was searched as "
                             "istral."]
    both = search_articles(client, settings, "*Mistr*")  # a final * still is the prefix
    assert _urls(both) == _urls(search_articles(client, settings, "Mistr*")) != set()
    assert search_articles(client, settings, "*").total == len(indexed[2])  # alone, every article, as before
    assert search_articles(client, settings, '"*istral"').notes == []


def test_a_star_inside_a_word_gets_a_note_that_only_a_final_star_is_a_wildcard(indexed):
    """`souv*té` (a wildcard inside a word, as Lucene and Kibana take it) was split at the * and found nothing, with
    no note, as `Nvid?a` once did; a * ending a word is the prefix search, as before."""
    settings, client, _ = indexed
    results = search_articles(client, settings, "souv*té cloud")
    assert results.notes == ["* is a wildcard only at the end of a word: souv*té was searched as the words around "
                             "the *; write the start of the word followed by * (souv*)."]
    assert search_articles(client, settings, "souv*").notes == []
    assert search_articles(client, settings, '"souv*té"').notes == []
    assert search_articles(client, settings, "Nvid?a souv*té").notes == [
        "? is not a wildcard here (only a * ending a word is): Nvid?a was searched as the words around the ?; write "
        "the start of the word followed by * (Nvid*).", results.notes[0]]


def test_notes_and_refusals_quote_at_most_80_characters_of_a_very_long_input(indexed):
    """A 5,000-character word with a `?` in it, a pasted paragraph as `--source`, `lang:` or `--since`: each note or
    refusal quoted the whole value (6.6 KB of terminal for one note); it now quotes its first 80 characters, as
    errors about config values do."""
    settings, client, _ = indexed
    long = "x" * 5000
    notes = [*search_articles(client, settings, f"a?{long}").notes,
             *search_articles(client, settings, f"souv*{long}").notes,
             *search_articles(client, settings, "cloud", sources=[long]).notes,
             *search_articles(client, settings, f"cloud lang:{long} topic:{long}").notes]
    assert len(notes) == 5 and all(len(note) < 400 for note in notes), [len(note) for note in notes]
    assert "a?" + "x" * 77 + "…" in notes[0]
    for query, options in ((f"cloud company:({long} AND a OR b)", {}), ("cloud", {"since": long}),
                           ("cloud", {"until": f"2026-02-30T{long}"}), ("cloud", {"tone": long}),
                           (f"cloud (lang:{long})", {})):
        with pytest.raises(NewsroomError) as refused:
            search_articles(client, settings, query, **options)
        assert len(str(refused.value)) < 400, (query, options, len(str(refused.value)))


def test_a_lucene_boost_is_ignored_with_a_note_instead_of_finding_nothing(indexed):
    """`Nvidia^2 chips` (a Lucene or Kibana boost) found nothing: simple_query_string has no boost in the query text, so
    the "2" was a word every article had to hold. A boost after a word, a phrase or a group is dropped with a note."""
    settings, client, _ = indexed
    for boosted, plain in (("Nvidia^2 chips", "Nvidia chips"), ('"AI Act"^3', '"AI Act"'),
                           ("(soup OR OVHcloud)^1.5 -Nvidia", "(soup OR OVHcloud) -Nvidia")):
        results = search_articles(client, settings, boosted)
        assert _urls(results) and _urls(results) == _urls(search_articles(client, settings, plain)), boosted
        assert results.notes == ["a ^ boost was ignored: search weighs every word the same."], boosted
    assert parse_query('"x^2" 2^10').text == '"x^2" 2^10'  # quoted, or a number: as typed


def test_a_passage_spanning_the_title_and_the_text_keeps_them_apart(indexed):
    """The search field holds the title, description and text; a passage running from one to the next read as one
    sentence ("Mistral et Nvidia : une alliance Une défaite pour la souveraineté …")."""
    settings, client, _ = indexed
    [hit] = search_articles(client, settings, "alliance défaite").hits
    assert any("alliance\ue001 — Une \ue000défaite" in passage for passage in hit["passages"]), hit["passages"]


def test_internationalised_domains_are_shown_in_unicode_unless_confusable_and_filter_in_either_spelling(
        es_url, tmp_path):
    """An article extracted without its feed is named by its domain, which the store holds in ASCII: search,
    coverage and the report showed `xn--caf-dma.example`. They now show `café.example`, as a browser's address bar
    does, but keep a host mixing Latin with Cyrillic (`pаypal`, a spoof) or spelt entirely in Latin-looking Cyrillic
    (`аррӏе.com`) in punycode; `source:` and `--source` read either spelling."""
    from pipeline.report import build_report
    from pipeline.urls import ascii_host

    settings = load_settings()
    client = make_client(settings)
    hosts = {"cafe": "café.example", "spoof": "pаypal.example", "whole": "аррӏе.com"}
    records = []
    for day, (name, host) in enumerate(hosts.items()):
        record = make_record(f"https://{host}/{name}", f"Mistral AI et le cloud souverain, article {name}.",
                             title=f"Article {name}", source=ascii_host(host), orgs={"Mistral AI": 0.1},
                             published=_at(10 + day))
        record.article.domain = ascii_host(host)
        records.append(record)
    index_enriched(client, settings, records)
    try:
        proc = _cli("search", "Mistral", "--since", "2026-11-01", "--until", "2026-11-30")
        assert proc.returncode == 0, proc.stderr
        shown = " ".join(proc.stdout.split())
        assert "café.example" in shown and "https://café.example/cafe" in shown and "xn--caf-dma" not in shown
        for spoof in ("pаypal.example", "аррӏе.com"):  # kept as the ASCII the store holds
            assert spoof not in shown and ascii_host(spoof) in shown
        for query in ("Mistral source:café.example", "Mistral source:CAFÉ.example",
                      "Mistral source:xn--caf-dma.example"):
            assert _urls(search_articles(client, settings, query)) == {"https://xn--caf-dma.example/cafe"}, query
            assert not search_articles(client, settings, query).notes, query
        assert _urls(search_articles(client, settings, "Mistral", sources=["café.example"])) == {
            "https://xn--caf-dma.example/cafe"}
        proc = _cli("coverage", "--company", "mistral", "--since", "2026-11-01", "--until", "2026-11-30")
        assert proc.returncode == 0 and "café.example (1)" in proc.stdout and "xn--caf-dma" not in proc.stdout
        proc = _cli("coverage", "--company", "mistral", "--by", "source", "--since", "2026-11-01", "--until",
                    "2026-11-30")
        assert proc.returncode == 0 and "café.example" in proc.stdout and "xn--caf-dma" not in proc.stdout
        build_report(client, settings, tmp_path / "r.html", since="2026-11-01", until="2026-11-30")
        html = (tmp_path / "r.html").read_text(encoding="utf-8")
        assert "café.example" in html and ">xn--caf-dma.example<" not in html
        assert "pаypal" not in html and "аррӏе" not in html
    finally:
        drop_prefix(client, settings.es_index_prefix)


def test_an_article_stored_without_url_date_or_title_is_listed_last_by_date_not_a_traceback(indexed, tmp_path):
    """An article written into the store by another tool without `url`, `published_at`, `title` or `source` (the
    mapping requires none): `search` and `search --csv` ended in a KeyError on 'url', and its `--json` row lacked the
    keys it had no value for. It is listed last by date, "no date" and "(untitled)" in the terminal, with every key,
    null, in JSON and an empty cell in CSV."""
    settings, client, records = indexed
    bare = records[1].article.id  # the OVHcloud results, stripped as another tool would write them
    client.update_by_query(index=index_names(settings.es_index_prefix)["articles"], refresh=True,
                           query={"ids": {"values": [bare]}},
                           script={"source": "for (f in params.fields) { ctx._source.remove(f) }",
                                   "params": {"fields": ["url", "published_at", "title", "source"]}})
    proc = _cli("search", "--company", "ovh", "--csv", str(tmp_path / "r.csv"))
    proc_any = _cli("search", "souverain", "--sort", "date")
    for run in (proc, proc_any):
        assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    listed = [line.split()[0] for line in proc_any.stdout.splitlines() if re.match(r"^  [0-9a-f]{12}  ", line)]
    assert listed[-1] == bare[:12] and f"{bare[:12]}  no date" in proc_any.stdout and "(untitled)" in proc_any.stdout
    rows = list(csv.DictReader((tmp_path / "r.csv").open(encoding="utf-8")))
    assert [(row["id"], row["url"], row["published_at"]) for row in rows if row["id"] == bare] == [(bare, "", "")]
    found = json.loads(_cli("search", "souverain", "--sort", "date", "--json").stdout)["results"]
    assert len({tuple(sorted(row)) for row in found}) == 1  # the same keys in every row
    assert found[-1]["id"] == bare and (found[-1]["url"], found[-1]["published_at"], found[-1]["title"]) == (None,) * 3


def test_a_lucene_similarity_after_a_word_is_read_as_lucene_reads_it_with_a_note(indexed):
    """`Mistral~0.5` (Lucene's old fuzzy similarity): simple_query_string takes a whole number of edits after ~, so
    the stand-in searched the number "5" besides Mistral and found nothing, without a word why. Read as Lucene reads
    a similarity, (1 - 0.5) × 7 letters → at most 2 edits, with a note; quoted text stays as written."""
    settings, client, _ = indexed
    results = search_articles(client, settings, "Mistral~0.5")
    assert _urls(results) == {"https://a.example/tribune"}
    assert results.notes == ["Mistral~0.5 (Lucene's old similarity) was read as Mistral~2: the word with up to 2 "
                             "letter(s) changed."]
    typo = search_articles(client, settings, "Nvidai~0.5")
    assert _urls(typo) == _urls(search_articles(client, settings, "Nvidia")) != set()
    assert search_articles(client, settings, "Mistral~0.9").notes[0].endswith("Mistral~0: the word with no letter "
                                                                                "changed.")
    with pytest.raises(NewsroomError, match=r"^'Mistral~1.5': the number after ~ is how many letters may differ"):
        search_articles(client, settings, "Mistral~1.5")
    assert search_articles(client, settings, '"Mistral~0.5"').notes == []


@pytest.mark.parametrize("query, hint", [
    ("[1 TO 5]", "several words or numbers are joined by OR"),
    ("Nvidia {a TO m}", "several words or numbers are joined by OR"),
    ("date:[2026-11-01 TO 2026-11-30]", "give the dates as options: --since 2026-11-01 --until 2026-11-30"),
    ("published_at:[2026-11-20 TO *]", "give the dates as options: --since 2026-11-20 (days included)"),
])
def test_a_lucene_range_is_refused_in_one_sentence_naming_what_to_write(indexed, query, hint):
    """`[1 TO 5]` (a range, as Kibana and query_string take it) required the words "1", "to" and "5": "0 article(s)
    match." without a word why; `date:[… TO …]` named no option."""
    settings, client, _ = indexed
    with pytest.raises(NewsroomError) as exc:
        search_articles(client, settings, query)
    assert str(exc.value).startswith(f"{query.removeprefix('Nvidia ')!r} is a range, which search does not read: ")
    assert hint in str(exc.value)
    assert search_articles(client, settings, '"[1 TO 5]"').notes == []  # quoted: words as written


def test_search_all_writes_every_article_past_the_10000_a_search_returns(es_url, tmp_path, monkeypatch):
    """`search` stopped at 10,000 (`--size` is Elasticsearch's result window) with no way to the rest, as `mentions`
    did before `--all`: `search --all --csv` writes every matching article, each once, in the search's order, in a
    point in time where the cluster opens one, and on the sort alone where it does not (a proxy refusing `_pit`)."""
    from _es_proxy import IlmProxy
    from elasticsearch import helpers

    settings = load_settings()
    client = make_client(settings)
    index_enriched(client, settings, [make_record("https://a.example/seed", "Nvidia seed story.", lang="en",
                                                  orgs={"Nvidia": 0.1}, published=_at(1))])
    alias = index_names(settings.es_index_prefix)["articles"]
    count = 10_100
    helpers.bulk(client, ({"_index": alias, "_id": f"a{n:05d}", "_source": {
        "id": f"a{n:05d}", "url": f"https://wire.example/{n}", "title": f"=HYPERLINK(\"x\") Nvidia story {n}",
        "source": "Wire", "lang": "en", "orgs": ["Nvidia"], "sentiment": {"label": "neutral", "score": 0.0},
        # ties on the date in pairs: the article id orders them, page after page
        "published_at": f"2026-11-{2 + n % 25:02d}T{n % 24:02d}:{n // 2 % 60:02d}:00+00:00",
        "search": {"en": f"Wire story {n} about Nvidia" + (" chips." if n % 3 else ".")
                   + " The export rules on accelerators tighten again." * 8}}} for n in range(count)),
        refresh=True, chunk_size=2000)
    out, by_date = tmp_path / "all.csv", tmp_path / "by-date.csv"
    with IlmProxy(es_url) as proxy:
        monkeypatch.setenv("NEWSROOM_ES_URL", proxy.url)  # the CLI runs in a subprocess: its own settings
        proc = _cli("search", "Nvidia", "--all", "--csv", str(out))
    monkeypatch.setenv("NEWSROOM_ES_URL", es_url)
    assert proc.returncode == 0, proc.stderr
    assert f"{count + 1} article(s) match: all written to {out}, by relevance" in " ".join(proc.stdout.split())
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == count + 1 and len({r["id"] for r in rows}) == count + 1  # each once
    assert sum(r["title"].startswith("'=HYPERLINK") for r in rows) == count  # a formula from the web stays text
    assert _cli("search", "Nvidia", "--size", "3", "--csv", str(tmp_path / "first.csv")).returncode == 0
    with (tmp_path / "first.csv").open(encoding="utf-8") as fh:
        assert rows[:3] == list(csv.DictReader(fh))  # the order of a search of one page
    pit_searches = [body for method, path, body in proxy.requests if path == "/_search" and body and "pit" in body]
    assert any(path.endswith("/_pit") for _, path, _ in proxy.requests) and len(pit_searches) == 11, proxy.requests
    with IlmProxy(es_url, refused=("/_pit",)) as refusing:  # a cluster that opens no point in time
        monkeypatch.setenv("NEWSROOM_ES_URL", refusing.url)
        proc = _cli("search", "--company", "nvidia", "--sort", "date", "--all", "--csv", str(by_date))
    monkeypatch.setenv("NEWSROOM_ES_URL", es_url)
    assert proc.returncode == 0, proc.stderr
    with by_date.open(encoding="utf-8") as fh:
        dated = list(csv.DictReader(fh))
    assert {r["id"] for r in dated} == {r["id"] for r in rows} and len(dated) == count + 1
    keys = [(r["published_at"], r["id"]) for r in dated]
    assert keys == sorted(keys, key=lambda k: (-datetime.fromisoformat(k[0]).timestamp(), k[1]))
    assert not [body for _, path, body in refusing.requests if body and "pit" in body]
    # a store whose search_after does not move past a page: the stand-in, comparing a score summed from several words
    # at another precision than it returns it, answered `search 'Nvidia chips' --all` (20,000 articles) with its first
    # 1,000 again and again, written without end; here its reading of search_after is left out on the way
    def search_after_misread(body: bytes) -> bytes:
        asked = json.loads(body)
        if isinstance(asked, dict) and asked.pop("search_after", None) is not None:
            return json.dumps(asked).encode()
        return body

    again = tmp_path / "again.csv"
    with IlmProxy(es_url, asks=search_after_misread) as misreading:
        monkeypatch.setenv("NEWSROOM_ES_URL", misreading.url)
        proc = _cli("search", "Nvidia", "--all", "--csv", str(again))
    monkeypatch.setenv("NEWSROOM_ES_URL", es_url)
    assert proc.returncode == 0, proc.stderr
    with again.open(encoding="utf-8") as fh:
        assert list(csv.DictReader(fh)) == rows  # read on in a scroll: each once, in the same order
    assert any(path == "/_search/scroll" for _, path, _ in misreading.requests)
    refused = _cli("search", "Nvidia", "--all")
    assert refused.returncode == 1 and "--all writes every matching article into the --csv file" in refused.stderr
    drop_prefix(client, settings.es_index_prefix)
