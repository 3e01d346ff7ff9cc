"""The trained tone model: training, the file it writes, loading, scoring, evidence, and quality on unseen items."""

from __future__ import annotations

import gzip
import json

import pytest

from pipeline.enrich.tone import LABELS, MODEL_PATH, TrainedTone, read_model
from pipeline.enrich.train_tone import Example, analyse, read_items, train, write_model
from pipeline.errors import ConfigError, ModelError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def gold(shared_dir):
    paths = [shared_dir / "gold" / name for name in ("train-fr.jsonl", "train-en.jsonl", "enrichment-dev.jsonl")]
    return paths, read_items(paths)


@pytest.fixture(scope="module")
def examples(gold):
    return analyse(gold[1])


def _slice(examples, files: set[str], limit: int | None = None):
    chosen = [e for e in examples if e.item["_file"] in files]
    return chosen[:limit] if limit else chosen


def test_training_on_a_slice_gives_the_same_file_twice_and_a_model_that_scores(examples, gold, tmp_path):
    small = _slice(examples, {"train-fr.jsonl"}, 40) + _slice(examples, {"train-en.jsonl"}, 40)
    first, second = tmp_path / "a.json.gz", tmp_path / "b.json.gz"
    for path in (first, second):
        write_model(train(small), path, gold[0][:2], [e.item for e in small], "test")
    assert first.read_bytes() == second.read_bytes()  # same data, same model, byte for byte

    data = read_model(first)
    assert data["trained_on"][0]["file"] == "train-fr.jsonl" and data["trained_on"][0]["items"] == 40
    assert len(data["trained_on"][0]["sha256"]) == 64 and data["command"] == "test"
    tone = TrainedTone(first)
    held_out = next(e for e in examples if e.item["_file"] == "enrichment-dev.jsonl" and e.companies)
    doc, companies = tone.decide(held_out.inputs)
    assert doc.label in ("negative", "neutral", "positive") and 0.0 <= doc.confidence <= 1.0
    assert set(companies) == set(held_out.inputs.evidence)
    for sentiment in companies.values():
        assert 1 <= len(sentiment.evidence) <= 3 and 0.0 <= sentiment.confidence <= 1.0
        assert -1.0 <= sentiment.score <= 1.0
    # a text with one watched company: the document model has an equal say in that company's tone
    from pipeline.enrich.tone import tone_rows

    single = next(e for e in examples if len(e.companies) == 1 and len(e.inputs.evidence) == 1)
    doc, decided = tone.decide(single.inputs)
    (company,) = decided.values()
    document_row, company_rows = tone_rows(single.inputs)
    (company_row,) = company_rows.values()
    both = [tone.document.probabilities_by_label(document_row), tone.company.probabilities_by_label(company_row)]
    raw = max(LABELS, key=lambda k: both[0][k] + both[1][k])
    subject = company.label == doc.label and both[0][doc.label] >= 0.8  # a sure article speaks for its subject
    assert company.label in (raw, "neutral") or subject  # the guard may leave it neutral
    assert company.confidence == round((both[0][raw] + both[1][raw]) / 2, 4) and company.evidence


@pytest.fixture(scope="module")
def written_examples():
    """The items written for training, as `make train-tone` reads them."""
    from pipeline.enrich.train_tone import read_training

    return analyse(read_training([]))


def test_models_trained_side_by_side_are_those_trained_one_after_another(examples):
    """`make eval` trains its forty models on every core at once; the figures must not depend on it."""
    from benchmarks.eval_tone import evaluate, fold_sets, train_each

    french, english = _slice(examples, {"train-fr.jsonl"}, 40), _slice(examples, {"train-en.jsonl"}, 40)
    assert train_each([french, english, french + english], workers=2) == [
        train(french), train(english), train(french + english)]
    # one model per training set: two runs given the same list share it; ids scored in two runs stay apart
    decided = evaluate([("a", french, english[:5]), ("b", french, english[:5]), ("c", english, french[:5])], workers=2)
    assert decided["a"] == decided["b"] and set(decided["c"]) == {e.item["id"] for e in french[:5]}
    folds = [("folds", trained, scored) for trained, scored in fold_sets(french + english)]
    assert evaluate(folds, workers=2) == evaluate(folds, workers=1)


def test_each_shared_file_held_out_in_turn_is_read_as_well_as_measured(examples, written_examples):
    """Each shared file scored by a model trained, as shipped, on the two others and the written items (the short
    ones, whole articles and rewritten news in both models, the company items in the company model, the others in
    the document model). Harder than the folds: a file's
    items share an author's style."""
    from benchmarks.eval_tone import hold_out_files, score

    items = [e.item for e in examples]
    decided = {}
    for predictions in hold_out_files(examples, written_examples).values():
        decided.update(predictions)
    pooled = score(items, decided)["total"]
    # Measured per file (`make eval`, rewrites of sets 5 to 14): dev 0.92 / 0.84 / 0 %, train-en 0.64 / 0.68 / 5.5 %,
    # train-fr 0.63 / 0.68 / 4.9 % (pooled company accuracy 0.698, reversals 4.6 %; with sets 5 to 9: dev 0.90 /
    # 0.77 / 0 %, train-en 0.64 / 0.72 / 3.9 %, train-fr 0.66 / 0.70 / 4.2 %; with sets 5 to 8 only, pooled: 0.692 /
    # 0.695 / 4.4 %). Before the rewritten real
    # news (docs/tone.md: they lift every real-news set, and cost these files reversals): 0.669 / 0.698 / 2.4 % (before
    # the exact forms: 0.660 / 0.702 / 2.4 %; before the
    # whole articles: 0.675 / 0.676 / 3.3 %; without the hard briefs and the idioms either: 0.654 / 0.688 / 4.9 %;
    # without the short items either: 0.652 / 0.643 / 3.8 %; without any written item: 0.632 / 0.638 / 5.0 %; per
    # file: dev 0.83 / 0.84 / 0 %, train-en 0.64 / 0.70 / 2.4 %, train-fr 0.65 / 0.66 / 2.9 %).
    assert pooled["doc_macro_f1"] >= 0.62
    assert pooled["company_acc"] >= 0.65
    assert pooled["reversals"] <= 0.05


def test_written_items_train_one_model_or_both_as_their_kind_says(examples, written_examples):
    from pipeline.enrich.train_tone import KINDS

    shared = _slice(examples, {"train-fr.jsonl", "train-en.jsonl"})
    alone = train(shared)
    assert {k.name for k in KINDS} == {"short", "long", "news", "written", "companies"}
    for kind in KINDS:
        these = [e for e in written_examples if e.item["_file"].startswith(kind.name + "-")]
        assert these and any(e.companies for e in these), kind.name
        assert all(e.item["_document_only"] == (not kind.company) for e in these)
        assert all(e.item["_company_only"] == (not kind.document) for e in these)
        with_these = train(shared + these)
        assert (with_these["document"] != alone["document"]) == kind.document, kind.name
        assert (with_these["company"] != alone["company"]) == kind.company, kind.name
    trains = {k.name: (k.document, k.company) for k in KINDS}  # docs/tone.md says why each trains what it does
    assert trains["written"] == (True, False) and trains["companies"] == (False, True)
    assert trains["short"] == trains["long"] == trains["news"] == (True, True)


def test_a_whole_article_is_read_with_the_proportions_of_an_excerpt():
    """Sums over sentences are scaled to the length of the labelled excerpts: an article that says the same thing
    four times over has the features of the excerpt, where unscaled sums would be four times those of any item the
    model learnt from."""
    from pipeline.enrich import EnrichInput, get_enricher
    from pipeline.enrich.tone import REFERENCE_EVIDENCE, REFERENCE_SENTENCES, tone_rows

    sentences = ["Mistral AI a annoncé un échec commercial.", "Les clients se plaignent de pannes graves.",
                 "La direction reconnaît des pertes lourdes.", "Mistral AI promet pourtant une reprise.",
                 "Les analystes restent très inquiets.", "Le cours de l'action a chuté.",
                 "Les syndicats dénoncent un désastre.", "Le conseil se réunira lundi."]
    assert len(sentences) == REFERENCE_SENTENCES
    excerpt, article = (" ".join(sentences), "\n\n".join([" ".join(sentences)] * 4))
    enricher = get_enricher()
    short, long = enricher.tone_inputs(EnrichInput(id=k, text=text, lang="fr") for k, text in (("a", excerpt),
                                                                                              ("b", article)))
    assert len(long.scores) == 4 * len(short.scores) == 4 * REFERENCE_SENTENCES
    assert len(long.evidence["Mistral AI"]) > REFERENCE_EVIDENCE
    (short_doc, short_companies), (long_doc, long_companies) = tone_rows(short), tone_rows(long)
    for name in ("n:sum_neg", "n:sum_pos", "n:all_neg", "n:claim_pos"):
        assert long_doc.sparse.get(name, 0.0) == pytest.approx(short_doc.sparse.get(name, 0.0), abs=1e-6), name
    assert short_doc.sparse["n:sum_neg"] < 0
    assert long_companies["Mistral AI"].sparse["c:evidence"] == pytest.approx(
        short_companies["Mistral AI"].sparse["c:evidence"])


def test_a_text_without_a_headline_has_no_title_vector():
    """An excerpt without a headline used to get the vector of "." as its title: a constant the model learnt from
    the 40 untitled dev items, which then coloured every untitled text (149 of 208 real news excerpts)."""
    from pipeline.enrich import EnrichInput, get_enricher
    from pipeline.enrich.tone import tone_rows

    untitled, titled = get_enricher().tone_inputs(
        EnrichInput(id=k, text="Mistral AI a levé 600 millions d'euros.", title=title, lang="fr")
        for k, title in (("a", None), ("b", "Mistral AI lève 600 millions")))
    (untitled_doc, untitled_companies), (titled_doc, _) = tone_rows(untitled), tone_rows(titled)
    assert not untitled_doc.dense["wt:"].any() and not untitled_companies["Mistral AI"].dense["wt:"].any()
    assert titled_doc.dense["wt:"].any()


def test_the_shipped_model_is_json_records_its_data_and_stays_small():
    assert MODEL_PATH.stat().st_size < 100 * 1024 * 1024
    with gzip.open(MODEL_PATH, "rt", encoding="utf-8") as fh:
        data = json.load(fh)  # plain JSON: loading it cannot run code
    assert {t["file"] for t in data["trained_on"]} == {"enrichment-dev.jsonl", "train-fr.jsonl", "train-en.jsonl",
                                                       "short-fr.jsonl", "short-en.jsonl",
                                                       "short-openings-fr.jsonl", "short-openings-en.jsonl",
                                                       "long-fr.jsonl",
                                                       "long-en.jsonl", "long-opeds-fr.jsonl", "long-opeds-en.jsonl",
                                                       "written-fr.jsonl", "written-en.jsonl",
                                                       "written-hard-fr.jsonl", "written-hard-en.jsonl",
                                                       "written-news-fr.jsonl", "written-news-en.jsonl",
                                                       "companies-news-fr.jsonl", "companies-news-en.jsonl",
                                                       "news-fr.jsonl", "news-en.jsonl"}
    assert data["command"].startswith("python -m pipeline.enrich.train_tone")
    assert data["document"]["classes"] == ["negative", "neutral", "positive"]


def test_a_broken_model_file_is_one_sentence_naming_it(tmp_path):
    bad = tmp_path / "tone.json.gz"
    bad.write_bytes(b"not gzip")
    with pytest.raises(ModelError, match=r"tone.json.gz is unreadable.*make train-tone"):
        TrainedTone(bad)
    with pytest.raises(ModelError, match="not found"):
        TrainedTone(tmp_path / "missing.json.gz")

    trained_elsewhere = read_model(MODEL_PATH)
    trained_elsewhere["params"]["encoder"] = "some other encoder"
    with pytest.raises(ModelError, match=r"trained with the sentence encoder some other encoder.*make train-tone"):
        TrainedTone(data=trained_elsewhere)


def test_sentence_vectors_come_from_the_wheel_and_carry_meaning_across_languages():
    import math

    from pipeline.enrich.embeddings import embed

    defeat_fr, defeat_en, victory_fr, empty = embed(["une défaite humiliante", "a humiliating defeat",
                                                     "une victoire éclatante", ""])
    assert len(defeat_fr) == 256 and abs(math.sqrt(sum(x * x for x in defeat_fr)) - 1.0) < 1e-3
    assert len(empty) == 256  # an empty title still gets a vector

    def cosine(a, b):
        return sum(x * y for x, y in zip(a, b))

    assert cosine(defeat_fr, defeat_en) > cosine(defeat_fr, victory_fr)


def test_loading_the_encoder_leaves_the_logging_of_the_process_as_it_was():
    """wordllama sets the root logger to INFO when imported; a process that had not configured logging (a benchmark,
    a library user) would then print every HTTP request."""
    import subprocess
    import sys

    probe = ("import logging\nfrom pipeline.enrich.embeddings import encoder\nencoder()\n"
             "print(logging.getLogger().level, len(logging.getLogger().handlers))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["30", "0"], out.stdout + out.stderr  # WARNING, no handler: as Python starts


def test_labelled_files_are_checked_line_by_line(tmp_path):
    path = tmp_path / "corrections.jsonl"
    path.write_text('{"id": "a", "lang": "fr", "text": "x", "sentiment": "positive"}\n{"id": "b"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"corrections.jsonl:2: missing field\(s\) lang, text, sentiment"):
        read_items([path])
    path.write_text('{"id": "a", "lang": "fr", "text": "x", "sentiment": "great"}\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="corrections.jsonl:1: a tone label is not one of"):
        read_items([path])


def test_repeated_ids_are_said_and_unseen_files_are_read_apart(tmp_path, caplog):
    from benchmarks.eval_tone import read_unseen

    line = '{{"id": "fr-001", "lang": "fr", "text": "{}", "sentiment": "neutral"}}\n'
    first, second = tmp_path / "set5.jsonl", tmp_path / "set6.jsonl"
    first.write_text(line.format("Un texte."), encoding="utf-8")
    second.write_text(line.format("Un autre texte.") + line.format("Encore un."), encoding="utf-8")
    with caplog.at_level("WARNING"):
        items = read_items([first, second])
    assert [i["text"] for i in items] == ["Un texte."]
    said = "set6.jsonl: 2 item(s) skipped because an earlier line or file has the same id (fr-001, fr-001)"
    assert said in caplog.text
    # two labelled sets made apart reuse ids: each is scored in full (a repeat inside one file is still said)
    assert [(i["_file"], i["text"]) for i in read_unseen([first, second])] == [
        ("set5.jsonl", "Un texte."), ("set6.jsonl", "Un autre texte.")]



def test_headline_figures_come_with_a_bootstrap_interval_that_narrows_with_the_set():
    """A set of 60 excerpts cannot tell 0.62 from 0.68: `make eval` says how far each figure moves by chance."""
    from benchmarks.eval_tone import intervals, score

    def labelled(n: int) -> tuple[list[dict], dict[str, dict]]:
        items, predictions = [], {}
        for k in range(n):  # right on two items in three, a reversal on one in six
            gold = LABELS[k % 3]
            guess = gold if k % 6 < 4 else ("neutral" if k % 6 == 4 else {"negative": "positive"}.get(gold, "negative"))
            items.append({"id": f"i{k}", "lang": "fr", "_file": "x", "sentiment": gold,
                          "entity_sentiment": {"Nvidia": gold}})
            predictions[f"i{k}"] = {"document": guess, "companies": {"Nvidia": guess}}
        return items, predictions

    small, large = score(*labelled(60))["total"], score(*labelled(600))["total"]
    for figures in (small, large):
        for key in ("doc_macro_f1", "company_acc", "reversals"):
            low, high = figures["interval95"][key]
            assert low < figures[key] < high
    width = {key: [high - low for low, high in (small["interval95"][key], large["interval95"][key])]
             for key in ("doc_macro_f1", "company_acc")}
    assert all(wide > 2 * narrow for wide, narrow in width.values())  # ten times the items: about a third as wide
    assert intervals(*labelled(60)) == small["interval95"]  # seeded: the same figures each run
    perfect = {f"i{k}": {"document": LABELS[k % 3], "companies": {"Nvidia": LABELS[k % 3]}} for k in range(60)}
    assert intervals(labelled(60)[0], perfect)["doc_macro_f1"] == [1.0, 1.0]

def test_a_new_tone_model_changes_the_enrichment_fingerprint(tmp_path, monkeypatch):
    import pipeline.enrich as enrich
    from pipeline.settings import load_settings

    settings = load_settings()
    before = enrich.enrichment_fingerprint(settings)
    copy = tmp_path / "tone.json.gz"
    copy.write_bytes(MODEL_PATH.read_bytes() + b"\0")
    monkeypatch.setattr(enrich, "MODEL_PATH", copy)
    assert enrich.enrichment_fingerprint(settings) != before
    retrained = enrich.enrichment_fingerprint(settings)

    import pipeline.enrich.embeddings as embeddings

    monkeypatch.setattr(embeddings, "encoder_version", lambda: "wordllama l2_supercat 256 9.9")  # other weights
    assert enrich.enrichment_fingerprint(settings) != retrained
    other_encoder = enrich.enrichment_fingerprint(settings)

    real_version = enrich._version
    monkeypatch.setattr(enrich, "_version", lambda p: "9.9" if p == "vaderSentiment-fr" else real_version(p))
    assert enrich.enrichment_fingerprint(settings) != other_encoder  # another general lexicon
    other_lexicon = enrich.enrichment_fingerprint(settings)

    monkeypatch.setattr(enrich, "RULES_VERSION", enrich.RULES_VERSION + "+1")  # the code's rules changed
    assert enrich.enrichment_fingerprint(settings) != other_lexicon


def test_train_tone_takes_exported_corrections_as_extra_labels(gold, tmp_path):
    """`make train-tone EXTRA=corrections.jsonl`: the analysts' file (gold format) joins the training data."""
    from pipeline.enrich.train_tone import main

    fr = [json.loads(line) for line in gold[0][0].read_text(encoding="utf-8").splitlines()[:30]]
    en = [json.loads(line) for line in gold[0][1].read_text(encoding="utf-8").splitlines()[:30]]
    small = tmp_path / "small.jsonl"
    small.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in fr + en) + "\n", encoding="utf-8")
    corrections = tmp_path / "corrections.jsonl"
    corrected = {**fr[0], "id": "newsroom-abc", "sentiment": "negative", "corrected": ["document"],
                 "phenomena": ["analyst-correction"]}
    corrections.write_text(json.dumps(corrected, ensure_ascii=False) + "\n", encoding="utf-8")
    output = tmp_path / "tone.json.gz"
    no_written_items = ["--short", "--long", "--news", "--written", "--companies"]
    assert main(["--gold", str(small), "--extra", str(corrections), *no_written_items, "--output", str(output)]) == 0
    data = read_model(output)
    assert [(t["file"], t["items"]) for t in data["trained_on"]] == [("small.jsonl", 60), ("corrections.jsonl", 1)]
    assert "--extra corrections.jsonl" in data["command"]


def test_the_verdict_after_the_turn_overrules_a_positive_or_neutral_label():
    from pipeline.enrich.tone import verdict_first
    from pipeline.models import Sentiment

    positive = Sentiment(label="positive", score=0.4, confidence=0.8, evidence=["promises"])
    assert verdict_first(positive, [-0.5, -0.3], rules=-0.2).label == "negative"  # the rules read it negative too
    assert verdict_first(positive, [-0.5, -0.3], rules=0.0).label == "neutral"
    assert verdict_first(positive, [-0.5, -0.3], rules=-0.2).evidence == ["promises"]
    assert verdict_first(positive, [0.2, -0.1], rules=-0.2) is positive  # no negative verdict after the turn
    assert verdict_first(positive, [], rules=-0.2) is positive  # no turn at all
    neutral = Sentiment(label="neutral", score=-0.1, confidence=0.5)
    assert verdict_first(neutral, [-0.5, -0.3], rules=-0.2).label == "negative"
    assert verdict_first(neutral, [-0.5, -0.3], rules=-0.2).score <= -0.1  # inside the negative band
    assert verdict_first(neutral, [-0.5, -0.3], rules=0.0) is neutral  # the rules see no negative: left unsaid
    assert verdict_first(neutral, [0.2], rules=-0.2) is neutral
    negative = Sentiment(label="negative", score=-0.4)
    assert verdict_first(negative, [0.5], rules=0.3) is negative  # a negative label is never overruled



def test_the_rules_veto_a_polar_label_unless_the_model_is_all_but_sure():
    """The guard turns a polar label the rules clearly contradict, or an unsure one they do not back, to neutral; a
    label given with P ≥ SURE_CONFIDENCE stands (on real news the rules read « The company behind Grok's images is
    just 15 days old » +0.11 and vetoed the model's negative at 0.97)."""
    from pipeline.enrich.tone import CLEAR_RULES, MIN_CONFIDENCE, SURE_CONFIDENCE, guarded

    assert guarded("negative", 0.9, CLEAR_RULES, MIN_CONFIDENCE) == "neutral"  # clearly contradicted
    assert guarded("negative", MIN_CONFIDENCE - 0.05, 0.0, MIN_CONFIDENCE) == "neutral"  # unsure, unbacked
    assert guarded("negative", MIN_CONFIDENCE - 0.05, 0.15, MIN_CONFIDENCE) == "neutral"  # unsure, faintly contrary
    assert guarded("negative", MIN_CONFIDENCE - 0.05, -0.15, MIN_CONFIDENCE) == "negative"  # unsure, backed
    assert guarded("negative", MIN_CONFIDENCE + 0.05, 0.0, MIN_CONFIDENCE) == "negative"
    assert guarded("negative", SURE_CONFIDENCE, 0.6, MIN_CONFIDENCE) == "negative"  # all but sure
    assert guarded("positive", SURE_CONFIDENCE + 0.01, -0.6, MIN_CONFIDENCE) == "positive"
    assert guarded("neutral", 0.99, -0.6, MIN_CONFIDENCE) == "neutral"


def test_a_faint_contrary_rules_score_does_not_veto_a_confident_label():
    """An op-ed that reports a company's announcements at length before its negative verdict reads faintly positive
    to the rules (+0.19 on one written for the check); the model's negative at P 0.85 stood only if the rules read
    nothing. The rules veto when their reading is clear (CLEAR_RULES), as when they alone decide a neutral article."""
    from pipeline.enrich.tone import CLEAR_RULES, MIN_CONFIDENCE, guarded

    assert guarded("negative", 0.85, 0.19, MIN_CONFIDENCE) == "negative"
    assert guarded("positive", 0.85, -0.19, MIN_CONFIDENCE) == "positive"
    assert guarded("negative", 0.85, CLEAR_RULES + 0.01, MIN_CONFIDENCE) == "neutral"


def test_an_article_left_neutral_takes_the_polarity_of_a_clear_rules_score():
    """On three real-news sets the model left articles neutral whose facts the rules read clearly (a round raised,
    a certification obtained); a clear rules score (|score| ≥ 0.3) now speaks. A polar label is never changed."""
    from pipeline.enrich.tone import CLEAR_RULES, clear_score_speaks
    from pipeline.models import Sentiment

    neutral = Sentiment(label="neutral", score=0.05, confidence=0.6, evidence=["a round raised"])
    promoted = clear_score_speaks(neutral, CLEAR_RULES + 0.05, CLEAR_RULES)
    assert (promoted.label, promoted.evidence, promoted.confidence) == ("positive", ["a round raised"], 0.6)
    assert promoted.score >= 0.1  # inside the positive band, for the alert rules and dashboards
    assert clear_score_speaks(neutral, -0.45, CLEAR_RULES).label == "negative"
    assert clear_score_speaks(neutral, CLEAR_RULES - 0.05, CLEAR_RULES) is neutral  # not clear enough: left unsaid
    # praise never beats the author's verdict
    assert clear_score_speaks(neutral, 0.5, CLEAR_RULES, verdict=True) is neutral
    assert clear_score_speaks(neutral, -0.5, CLEAR_RULES, verdict=True).label == "negative"
    positive = Sentiment(label="positive", score=0.4, confidence=0.8)
    assert clear_score_speaks(positive, -0.6, CLEAR_RULES) is positive


def test_an_article_left_neutral_takes_the_polarity_of_a_clear_headline():
    """Real news states its facts flatly and puts its tone in the headline: on eight real-news sets a clear headline
    score (|score| ≥ 0.5) turned six articles left neutral to their labelled polarity and none to a wrong one
    (docs/tone.md). The body's rules reading the other way, or the author's negative verdict against praise, win."""
    from pipeline.enrich.tone import CLEAR_TITLE, clear_score_speaks
    from pipeline.models import Sentiment

    neutral = Sentiment(label="neutral", score=-0.03, confidence=0.55, evidence=["900 jobs cut"])
    demoted = clear_score_speaks(neutral, -(CLEAR_TITLE + 0.1), CLEAR_TITLE, whole_text=-0.05)
    assert (demoted.label, demoted.evidence, demoted.confidence) == ("negative", ["900 jobs cut"], 0.55)
    assert demoted.score <= -0.1  # inside the negative band
    assert clear_score_speaks(neutral, CLEAR_TITLE + 0.1, CLEAR_TITLE, whole_text=0.0).label == "positive"
    assert clear_score_speaks(neutral, CLEAR_TITLE - 0.1, CLEAR_TITLE, whole_text=0.0) is neutral  # not clear enough
    assert clear_score_speaks(neutral, 0.8, CLEAR_TITLE, whole_text=-0.2) is neutral  # the body reads the other way
    # praise never beats the verdict
    assert clear_score_speaks(neutral, 0.8, CLEAR_TITLE, verdict=True, whole_text=0.0) is neutral
    assert clear_score_speaks(neutral, -0.8, CLEAR_TITLE, verdict=True, whole_text=0.0).label == "negative"
    positive = Sentiment(label="positive", score=0.4, confidence=0.8)
    assert clear_score_speaks(positive, -0.9, CLEAR_TITLE, whole_text=0.0) is positive  # a polar label is never changed


def test_the_only_company_of_a_sure_article_is_not_left_neutral():
    """The text's only watched company is its subject: left neutral by the guard or the company model, it takes the
    article's polar label when the document model gives that label at least 0.8 (company accuracy on the folds
    0.712 → 0.724; docs/tone.md). A polar company label, an unsure article or a neutral one change nothing."""
    from pipeline.enrich.tone import SUBJECT_CONFIDENCE, subject_follows_article
    from pipeline.models import Sentiment

    neutral = Sentiment(label="neutral", score=-0.02, confidence=0.55, evidence=["the contract"])
    sure = {"negative": 0.05, "neutral": 0.1, "positive": 0.85}
    article = Sentiment(label="positive", score=0.8, confidence=0.85)
    follows = subject_follows_article(neutral, article, sure)
    assert (follows.label, follows.evidence, follows.confidence) == ("positive", ["the contract"], 0.55)
    assert follows.score >= 0.1
    unsure = {"negative": 0.1, "neutral": 0.2, "positive": SUBJECT_CONFIDENCE - 0.05}
    assert subject_follows_article(neutral, article, unsure) is neutral
    promoted = Sentiment(label="positive", score=0.1, confidence=0.7)  # the clear rules' label, not the model's
    assert subject_follows_article(neutral, promoted, {"negative": 0.1, "neutral": 0.7, "positive": 0.2}) is neutral
    negative = Sentiment(label="negative", score=-0.3, confidence=0.6)
    assert subject_follows_article(negative, article, sure) is negative
    assert subject_follows_article(neutral, Sentiment(label="neutral", score=0.0), sure) is neutral


def test_an_exported_correction_trains_only_the_labels_the_analysts_gave(examples, tmp_path):
    """`tone export` writes every label of a corrected article and names the analysts' own in `corrected`; the
    others are the model's stored labels, which must not be learnt back as if an analyst had given them."""
    shared = _slice(examples, {"train-fr.jsonl"}, 40) + _slice(examples, {"train-en.jsonl"}, 40)
    dev = [e for e in examples if e.item["_file"] == "enrichment-dev.jsonl"]
    two = next(e for e in dev if len(e.companies) >= 2)
    one = next(e for e in dev if e.companies and e is not two)
    first, *others = sorted(two.companies)
    flip = {"negative": "positive", "neutral": "negative", "positive": "negative"}

    def exported(example, corrected, labels):
        item = {k: v for k, v in example.item.items() if not k.startswith("_")}
        return {**item, "id": "newsroom-" + item["id"], "phenomena": ["analyst-correction"],
                "corrected": corrected, **labels}

    export = tmp_path / "corrections.jsonl"
    lines = [exported(two, [first], {"entity_sentiment": {**two.item["entity_sentiment"],
                                                          first: flip[two.item["entity_sentiment"][first]]}}),
             exported(one, ["document"], {"sentiment": flip[one.item["sentiment"]]})]
    export.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in lines), encoding="utf-8")
    company_fix, document_fix = analyse(read_items([export]))
    assert set(company_fix.companies) == set(two.companies) and document_fix.companies  # all stored labels read

    alone = train(shared)
    with_company_fix = train(shared + [company_fix])
    assert with_company_fix["document"] == alone["document"]  # the document tone was not corrected
    # ... and only the corrected company teaches the company model
    only_that_company = Example({**company_fix.item, "corrected": None}, company_fix.inputs, company_fix.document,
                                {first: company_fix.companies[first]})
    assert with_company_fix["company"] == train(shared + [only_that_company])["company"] != alone["company"]

    with_document_fix = train(shared + [document_fix])
    assert with_document_fix["company"] == alone["company"]  # no company was corrected
    assert with_document_fix["document"] != alone["document"]


def test_a_malformed_corrected_list_or_a_missing_label_is_one_sentence(tmp_path, capsys):
    from pipeline.enrich.train_tone import main

    path = tmp_path / "corrections.jsonl"
    path.write_text('{"id": "a", "lang": "fr", "text": "x", "sentiment": "positive", "corrected": "document"}\n',
                    encoding="utf-8")
    with pytest.raises(ConfigError, match=r"corrections.jsonl:1: 'corrected' is not a list"):
        read_items([path])
    path.write_text('{"id": "a", "lang": "fr", "text": "Une victoire.", "sentiment": "positive"}\n'
                    '{"id": "b", "lang": "fr", "text": "Une défaite.", "sentiment": "negative"}\n', encoding="utf-8")
    args = ["--gold", str(path), "--short", "--long", "--news", "--written", "--companies",
            "--output", str(tmp_path / "t.json.gz")]
    assert main(args) == 2
    assert "error: Training needs all three tone labels" in capsys.readouterr().err
