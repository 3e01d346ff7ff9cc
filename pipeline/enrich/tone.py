"""Deciding tone: of the article, and toward each watched company it names.

Two deciders share the same inputs (sentences, their lexicon scores, and each company's evidence):
- `RuleTone` aggregates sentence scores with fixed weights (the lexicon and transformers backends);
- `TrainedTone` (the default) is a linear model trained on labelled news (`make train-tone`), which weighs the
  lexicon signals together with the words around each company, so the author's verdict can outweigh a
  company's own promises. Its weights ship with the package as gzipped JSON (pipeline/enrich/weights/tone.json.gz).
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from pipeline.enrich.sentiment import (NEUTRAL_BAND, Evidence, Sentence, author_verdict, company_scores,
                                      document_score, label_for, last_turn, negative_verdict, switch_roles,
                                      to_sentiment)
from pipeline.enrich.watchlist import Mention
from pipeline.errors import ModelError
from pipeline.models import Sentiment


@dataclass
class ToneInputs:
    lang: str
    title: str | None
    text: str
    sentences: list[Sentence]
    scores: list[float]  # lexicon score of each sentence
    title_score: float | None
    evidence: dict[str, list[Evidence]]  # company → what bears on it, in order of first mention
    mentions: list[Mention] = field(default_factory=list)
    title_mentions: list[Mention] = field(default_factory=list)
    signals: list[dict[str, float]] = field(default_factory=list)  # per sentence: what each lexicon rule added
    title_signals: dict[str, float] = field(default_factory=dict)

    @cached_property
    def length_scale(self) -> float:
        """How far sums over this text's sentences are scaled down to an excerpt's length (1 for an excerpt)."""
        return _length_scale(len(self.scores), REFERENCE_SENTENCES)

    @cached_property
    def turn(self) -> int:
        """Index of the last body sentence that opens with « mais » / "but" / « pourtant »…, or -1."""
        return last_turn(self.sentences[:len(self.scores)], self.lang)


def top_evidence(items: list[Evidence], label: str, limit: int = 3) -> list[str]:
    """The sentences that most support `label` (strongest first), else the first ones that name the company."""
    sign = {"negative": -1.0, "positive": 1.0}.get(label)
    if sign is None:
        chosen = [e for e in items if e.kind in ("title", "own", "clause")][:limit] or items[:limit]
    else:
        chosen = sorted((e for e in items if e.score * sign > 0), key=lambda e: -abs(e.score))[:limit]
        chosen = chosen or items[:1]
    out: dict[str, str] = {}
    for e in chosen:  # the title often opens the body too, once with a colon and once split into clauses
        key = " ".join(re.findall(r"\w+", e.text.casefold()))
        if key and key not in out:
            out[key] = " ".join(e.text.split())
    return list(out.values())[:limit]


class RuleTone:
    """Fixed-weight aggregation of sentence scores (title and lead weigh more)."""

    name = "rules"

    def decide(self, t: ToneInputs) -> tuple[Sentiment, dict[str, Sentiment]]:
        doc = document_score(t.title_score, t.scores)
        per_company = company_scores(t.evidence, doc)
        companies = {}
        for company, score in per_company.items():
            s = to_sentiment(score)
            s.evidence = top_evidence(t.evidence.get(company, []), s.label)
            companies[company] = s
        return to_sentiment(doc), companies


# ---------------------------------------------------------------------------------------------------------
# Features: the same function serves training (pipeline.enrich.train_tone) and scoring, so they cannot drift.
# ---------------------------------------------------------------------------------------------------------

TARGET, OTHER = "TGTX", "ORGX"  # a company's own mentions, and other watched companies, in its evidence
_TEXT_GROUPS = ("T:", "B:", "E:")  # title, body, the company's evidence: each bag is L2-normalised on its own


def _squash(x: float) -> float:
    return math.copysign(math.log1p(abs(x)), x)


_MASKS = (TARGET.lower(), OTHER.lower())


def _words(text: str, lang: str) -> list[str]:
    from pipeline.enrich.lexicon import stem_function, tokenize_with_case

    tokens, _ = tokenize_with_case(text)
    stem = stem_function(lang)  # looked up once per text, not once per word
    french = lang == "fr"
    out = []
    for tok in tokens:
        if tok in _MASKS:
            out.append(tok.upper())
        elif tok[0].isalpha():
            out.append(stem(tok.split("'")[-1] if french else tok))
        elif tok in "?!«»\"“”":
            out.append(tok)
    return out


def _bag(features: dict[str, float], text: str, lang: str, prefix: str) -> None:
    words = _words(text, lang)
    for i, word in enumerate(words):
        features[prefix + word] = features.get(prefix + word, 0.0) + 1.0
        if i + 1 < len(words):
            key = f"{prefix}{word}_{words[i + 1]}"
            features[key] = features.get(key, 0.0) + 1.0


def _signals(features: dict[str, float], prefix: str, signals: list[dict[str, float]],
             weights: list[float] | None = None, scale: float = 1.0) -> None:
    total: dict[str, float] = {}
    for k, sig in enumerate(signals):
        w = 1.0 if weights is None else weights[k]
        for key, value in sig.items():
            total[key] = total.get(key, 0.0) + value * w
    for key, value in total.items():
        features[prefix + key] = _squash(value * scale)


# The labelled items are news excerpts: 5 sentences at the median, 8 at the 95th percentile, and a company's evidence
# 2 sentences at the median, 5 at the 95th. A sum over a whole article (40 sentences, 14 about its main company) would
# be far outside what the model learnt from, and the sums alone decided long op-eds. Sums over more than these lengths
# are scaled down to them: an excerpt's features are unchanged, a long article's are those of an excerpt with the
# same proportions.
REFERENCE_SENTENCES = 8
REFERENCE_EVIDENCE = 5


def _length_scale(count: int, reference: int) -> float:
    return min(1.0, reference / count) if count else 1.0


def _normalise(features: dict[str, float]) -> dict[str, float]:
    """Counts → log(1+count), each text bag scaled to unit length; numeric signals stay as they are."""
    out: dict[str, float] = {}
    bags: dict[str, dict[str, float]] = {}
    for k, v in features.items():
        if k[:2] in _TEXT_GROUPS:
            bags.setdefault(k[:2], {})[k] = math.log1p(v)
        else:
            out[k] = v
    for bag in bags.values():
        norm = math.sqrt(sum(v * v for v in bag.values())) or 1.0
        out.update((k, v / norm) for k, v in bag.items())
    return out


def _document_numbers(t: ToneInputs) -> dict[str, float]:
    s = t.scores or [0.0]
    n = len(s)
    scale = t.length_scale
    f = {
        "n:rule": document_score(t.title_score, t.scores), "n:title": t.title_score or 0.0, "n:lead": s[0],
        "n:mean": sum(s) / n, "n:min": min(s), "n:max": max(s), "n:last": s[-1],
        "n:share_neg": sum(x <= -0.1 for x in s) / n, "n:share_pos": sum(x >= 0.1 for x in s) / n,
        "n:sum_neg": sum(x for x in s if x < 0) * scale, "n:sum_pos": sum(x for x in s if x > 0) * scale,
        f"n:lang_{t.lang}": 1.0,
    }
    f.update(_discourse(t))
    _signals(f, "n:title_", [t.title_signals])
    _signals(f, "n:lead_", t.signals[:1])
    _signals(f, "n:all_", t.signals, scale=scale)
    return f


def _discourse(t: ToneInputs) -> dict[str, float]:
    """Where the tone sits in the argument: the closing third, everything after the last sentence-initial « mais »
    / "but" (an op-ed's verdict usually comes there), and claims reported rather than asserted."""
    from pipeline.enrich.lexicon import _LANG_WORDS, tokenize

    s = t.scores
    if not s:
        return {}
    n = len(s)
    tail = s[n - max(1, n // 3):]
    claim_words = _LANG_WORDS.get(t.lang, _LANG_WORDS["en"])["reporting"]
    claim_pos = claim_neg = 0.0
    for k, sentence in enumerate(t.sentences[:n]):
        lowered = sentence.text.lower()  # a cheap test first: most sentences report nobody
        if any(w in lowered for w in claim_words) and claim_words.intersection(tokenize(sentence.text)):
            claim_pos += max(s[k], 0.0)
            claim_neg += min(s[k], 0.0)
    after = s[t.turn:] if t.turn > 0 else []
    scale = t.length_scale
    return {
        "n:tail": sum(tail) / len(tail), "n:turn": float(bool(after)),
        "n:after_turn": sum(after) / len(after) if after else 0.0,
        "n:claim_pos": claim_pos * scale, "n:claim_neg": claim_neg * scale,
    }


@dataclass
class Row:
    """One example's features: named numbers and word counts, plus embedding vectors kept as arrays, so that
    scoring multiplies a vector by a weight matrix instead of looking up 256 names one by one."""

    sparse: dict[str, float]
    dense: dict[str, Any] = field(default_factory=dict)  # name prefix → vector (numpy), already scaled

    def flat(self) -> dict[str, float]:
        """The same features under one name each (`we:0` … `we:255`): what training sees."""
        out = dict(self.sparse)
        for prefix, vector in self.dense.items():
            out.update((f"{prefix}{i}", float(x)) for i, x in enumerate(vector))
        return out


def tone_rows(t: ToneInputs) -> tuple[Row, dict[str, Row]]:
    """The document's features and each company's: the document numbers, the rules' company scores and the
    title's vector, which every row shares, are computed once."""
    import numpy as np

    from pipeline.enrich.embeddings import embed

    numbers = _document_numbers(t)
    rules = company_scores(t.evidence, numbers["n:rule"])
    document = dict(numbers)
    _bag(document, t.title or "", t.lang, "T:")
    _bag(document, t.text[:BODY_CHARS], t.lang, "B:")
    evidence = {company: " ".join(masked(e.text, t, company) for e in items) or (t.title or "")
                for company, items in t.evidence.items()}
    texts = [(t.title or "")[:EMBED_CHARS], t.text[:EMBED_CHARS], *(text[:EMBED_CHARS] for text in evidence.values())]
    vectors = (np.asarray(embed(texts), dtype=np.float64) * EMBED_SCALE).round(6)
    title_vector, body_vector, company_vectors = vectors[0], vectors[1], vectors[2:]
    if not (t.title or "").strip():
        title_vector = np.zeros_like(title_vector)  # no headline says nothing: not the vector of "."
    companies = {
        company: Row(_company_features(t, company, numbers, rules[company]), {"we:": vector, "wt:": title_vector})
        for company, vector in zip(evidence, company_vectors)
    }
    return Row(_normalise(document), {"wt:": title_vector, "wb:": body_vector}), companies


def tone_features(t: ToneInputs) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """`tone_rows` with every feature named: for training and evaluation."""
    document, companies = tone_rows(t)
    return document.flat(), {company: row.flat() for company, row in companies.items()}


# Weight of the sentence-embedding dimensions beside the unit-length word bags; chosen by cross-validation
# (0.3, 1, 3, 6, 12 tried: 3 gave the best document F1 and company accuracy).
EMBED_SCALE = 3.0
# A vector reads at most the first 1,500 characters (the lead, for a body). Every labelled excerpt is shorter (976 at
# most; the whole articles in training are read through the same prefix), so the model learnt from leads: a longer
# average would be a vector it never saw, and it would cost time.
EMBED_CHARS = 1500
# The body's word bag reads its first 3,000 characters: three times the longest labelled excerpt, the first half of a
# whole article; a long page costs no more than a short one (its sentence scores still cover every sentence).
BODY_CHARS = 3000


def masked(text: str, t: ToneInputs, company: str) -> str:
    """The company's own names become TGTX and other watched companies ORGX: words, not names, are learnt."""
    mentions = [*t.mentions, *t.title_mentions]
    own = {m.text for m in mentions if m.company == company}
    others = {m.text for m in mentions if m.company != company} - own
    for form in sorted(own, key=len, reverse=True):
        text = text.replace(form, f" {TARGET} ")
    for form in sorted(others, key=len, reverse=True):
        text = text.replace(form, f" {OTHER} ")
    return text


def _company_features(t: ToneInputs, company: str, numbers: dict[str, float], rule: float) -> dict[str, float]:
    items = t.evidence[company]
    scores = [e.score for e in items] or [0.0]
    f = dict(numbers)
    f.update({
        "c:rule": rule, "c:mean": sum(scores) / len(scores), "c:min": min(scores), "c:max": max(scores),
        "c:evidence": len(items) * t.length_scale, "c:in_title": float(any(e.kind == "title" for e in items)),
        "c:alone": float(len(t.evidence) == 1), "c:first": float(next(iter(t.evidence), None) == company),
        "c:companies": float(len(t.evidence)),
    })
    _signals(f, "c:", [t.title_signals if e.index < 0 else t.signals[e.index] for e in items],
             [e.weight for e in items], scale=_length_scale(len(items), REFERENCE_EVIDENCE))
    for e in items:
        _bag(f, masked(e.text, t, company), t.lang, "E:")
    return _normalise(f)


# ---------------------------------------------------------------------------------------------------------
# The trained model: a multinomial logistic regression stored as JSON (feature → one weight per label).
# ---------------------------------------------------------------------------------------------------------

LEAD_SENTENCES = 2  # the story's framing: the headline and its first two sentences
MODEL_PATH = Path(__file__).with_name("weights") / "tone.json.gz"
LABELS = ("negative", "neutral", "positive")


@dataclass
class LinearModel:
    """One row of `matrix` per feature (`index`: name → row): a Python loop over ~1,000 features per company was most
    of tone's time, and a list of floats per feature beside it (and a second copy made while loading) held 38 MB of
    RSS more for nothing (loading the shipped model: 179 → 141 MB)."""

    classes: tuple[str, ...]
    intercept: Any  # numpy array, one value per class
    index: dict[str, int]
    matrix: Any  # numpy array, features × classes

    def __post_init__(self) -> None:
        self._dense: dict[tuple[str, int], Any] = {}

    def _dense_weights(self, prefix: str, size: int):
        import numpy as np

        key = (prefix, size)
        if key not in self._dense:
            dense = np.zeros((size, len(self.classes)), dtype=np.float64)
            for i in range(size):
                row = self.index.get(f"{prefix}{i}")
                if row is not None:
                    dense[i] = self.matrix[row]
            self._dense[key] = dense
        return self._dense[key]

    def probabilities(self, features: dict[str, float] | Row) -> list[float]:
        import numpy as np

        sparse, dense = (features.sparse, features.dense) if isinstance(features, Row) else (features, {})
        rows, values = [], []
        for name, value in sparse.items():
            row = self.index.get(name)
            if row is not None:
                rows.append(row)
                values.append(value)
        logits = self.intercept + np.asarray(values, dtype=np.float64) @ self.matrix[rows]
        for prefix, vector in dense.items():
            logits = logits + np.asarray(vector, dtype=np.float64) @ self._dense_weights(prefix, len(vector))
        exp = np.exp(logits - logits.max())
        return [float(x) for x in exp / exp.sum()]

    def probabilities_by_label(self, features: dict[str, float] | Row) -> dict[str, float]:
        return dict(zip(self.classes, self.probabilities(features)))

    @classmethod
    def from_dict(cls, data: dict) -> LinearModel:
        import numpy as np

        classes, weights = tuple(data["classes"]), data["weights"]
        return cls(classes, np.array(data["intercept"], dtype=np.float64),
                   {name: row for row, name in enumerate(weights)},
                   np.array(list(weights.values()) or [[0.0] * len(classes)], dtype=np.float64))


def read_model(path: Path) -> dict:
    """The model file: plain JSON (gzip), never pickle, so loading it cannot run code."""
    try:
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            data = json.load(fh)
    except FileNotFoundError:
        raise ModelError(f"Tone model {path} not found: run `make train-tone`, or set "
                         "NEWSROOM_SENTIMENT_BACKEND=lexicon.") from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"Tone model {path} is unreadable ({exc}): run `make train-tone` again.") from None
    if data.get("format") != MODEL_FORMAT or not {"document", "company"} <= data.keys():
        raise ModelError(f"Tone model {path} is not a {MODEL_FORMAT} file: run `make train-tone` again.")
    return data


MODEL_FORMAT = "newsroom-tone/1"
# Below this probability a polar label the rules do not share becomes neutral. Chosen on the cross-validated and
# held-out predictions (benchmarks/eval_tone.py; docs/tone.md): 0.7 → 0.75 → 0.8 trade labels for reversals.
MIN_CONFIDENCE = 0.75
# An article the model leaves neutral takes the rules' polarity when their score is at least this clear: on real news
# the rules read flat facts the model, trained mostly on written items, leaves unsaid (docs/tone.md, « A third and
# a fourth real-news set »).
CLEAR_RULES = 0.3
# An article still left neutral takes its headline's polarity when the headline's lexicon score is at least this clear
# and the body's rules do not read the opposite: real news puts its tone in the headline ("Oracle tumbles…", « Plus de
# 600 postes supprimés… ») and states the body flatly (docs/tone.md, « Eleven to fourteen real-news sets »).
CLEAR_TITLE = 0.5
# The only watched company of an article the model reads polar this surely is its subject, and is not left neutral.
SUBJECT_CONFIDENCE = 0.8
# A polar label given with at least this probability is not vetoed by the rules (`guarded`): on eleven real-news sets
# 0.622 / 0.666 / 3.9 % against 0.619 / 0.665 / 4.0 %, on the shared folds 0.714 / 0.719 / 4.3 % against 0.704 /
# 0.714 / 4.3 % (docs/tone.md, « A fifteenth and a sixteenth real-news set »).
SURE_CONFIDENCE = 0.95


class TrainedTone:
    """The default decider: document and per-company labels from the trained linear model."""

    name = "model"

    def __init__(self, path: Path | None = None, data: dict | None = None):
        self.path = path or MODEL_PATH
        data = data if data is not None else read_model(self.path)
        self.document = LinearModel.from_dict(data["document"])
        self.company = LinearModel.from_dict(data["company"])
        params = data.get("params", {})
        self.min_confidence = float(params.get("min_confidence", MIN_CONFIDENCE))
        from pipeline.enrich.embeddings import ENCODER

        if (params.get("encoder"), params.get("embed_scale")) != (ENCODER, EMBED_SCALE):
            raise ModelError(f"Tone model {self.path} was trained with the sentence encoder "
                             f"{params.get('encoder') or 'none'} (scale {params.get('embed_scale')}), but this "
                             f"version uses {ENCODER} (scale {EMBED_SCALE}): run `make train-tone` again.")

    def decide(self, t: ToneInputs) -> tuple[Sentiment, dict[str, Sentiment]]:
        document_row, company_rows = tone_rows(t)  # the rules' scores are among their features
        turn = t.turn
        after_turn = t.scores[turn:] if turn > 0 else []
        of_text = self.document.probabilities_by_label(document_row)
        rules, verdict = document_row.sparse["n:rule"], negative_verdict(after_turn)
        doc = self._decided(of_text, rules, verdict)
        doc = verdict_first(doc, after_turn, rules)
        doc = clear_score_speaks(doc, rules, CLEAR_RULES, verdict=verdict)
        doc = clear_score_speaks(doc, document_row.sparse["n:title"], CLEAR_TITLE, verdict=verdict, whole_text=rules)
        stated = author_verdict(t.sentences[:len(t.scores)], t.lang)  # the author's verdict, stated outright
        if not stated and t.title:  # or in the headline: "Apple's AI arrives in Europe, and it is hardly a victory"
            stated = author_verdict([Sentence(0, len(t.title), t.title)], t.lang)
        if stated:
            doc = follows_verdict(doc, stated[1])
        subjects = subject_companies(t, list(company_rows))
        lead = t.sentences[:LEAD_SENTENCES]
        roles = switch_roles([(t.title or "", t.title_mentions, 0)]
                             + [(s.text, t.mentions, s.start) for s in lead], t.lang) if len(company_rows) > 1 else {}
        companies = {}
        for company, row in company_rows.items():
            probabilities = self.company.probabilities_by_label(row)
            if len(company_rows) == 1:
                # The text's only watched company is its subject (98 % of the shared single-company items give it
                # the text's tone), so the document model, which learns from more items, has an equal say.
                probabilities = {k: (p + of_text.get(k, 0.0)) / 2 for k, p in probabilities.items()}
            after_turn = [e.score for e in t.evidence[company] if e.index >= turn > 0]
            s = self._decided(probabilities, row.sparse["c:rule"], negative_verdict(after_turn))
            s = verdict_first(s, after_turn, row.sparse["c:rule"])
            if len(company_rows) == 1:
                s = subject_follows_article(s, doc, of_text)
            if stated and company in subjects:
                s = follows_verdict(s, stated[1])
            if company in roles and not (stated and company in subjects):
                s = follows_role(s, roles[company])
            s.evidence = top_evidence(t.evidence[company], s.label)
            companies[company] = s
        return doc, companies

    def _decided(self, probabilities: dict[str, float], rules: float, verdict: bool = False) -> Sentiment:
        label = max(probabilities, key=probabilities.get)
        confidence = probabilities[label]
        score = probabilities.get("positive", 0.0) - probabilities.get("negative", 0.0)
        if not (verdict and label == "negative" and label_for(rules) != "positive"):  # the verdict backs a negative
            label = guarded(label, confidence, rules, self.min_confidence)
        return Sentiment(label=label, score=consistent_score(label, score), confidence=round(confidence, 4))


def verdict_first(s: Sentiment, after_turn: list[float], rules: float) -> Sentiment:
    """The author's judgement comes first (LABELLING.md): when the text turns negative after the last « mais » /
    "but" — the company's promises, then the verdict — the label is negative if the rules read it so, and at most
    neutral otherwise."""
    if s.label == "negative" or not negative_verdict(after_turn):
        return s
    label = "negative" if label_for(rules) == "negative" else "neutral"
    if label == s.label:
        return s
    return relabelled(s, label)


def follows_verdict(s: Sentiment, polarity: str) -> Sentiment:
    """The author's verdict stated outright (`sentiment.author_verdict`: « cette alliance est une vraie défaite… »)
    decides the article's label and its subject's: LABELLING.md puts the author's judgement first, and the sentences
    before it, which report the promises and the praise in the vocabulary of success, mislead the model (an op-ed
    of that structure read positive at P 0.98). Only a negative verdict decides: praise stated outright is also
    sarcasm's form (a shared item: "Microsoft calls this a milestone for digital sovereignty. We call it a milestone
    for technical writers.", where even lifting a neutral label made a reversal), and a negative read as positive
    costs an analyst more than a tone left unsaid."""
    if s.label == polarity or polarity != "negative":
        return s
    return relabelled(s, polarity)


def follows_role(s: Sentiment, polarity: str) -> Sentiment:
    """A company that wins or loses a customer, a contract or share to another (`sentiment.switch_roles`) takes that
    side, whatever the sentence it shares with the other reads."""
    return s if s.label == polarity else relabelled(s, polarity)


def subject_companies(t: ToneInputs, companies: list[str]) -> set[str]:
    """The companies a text is about: those its headline names, the first its body names, and one it names at least
    twice as often as that first (« Merci, Nvidia » over an op-ed on Mistral AI's alliance with Nvidia is about both;
    an op-ed that opens on « le géant américain Nvidia » and then names Mistral AI twice as often is about Mistral AI
    too, while a company named once more than the first may be the winner the author sets against it)."""
    in_title = {m.company for m in t.title_mentions if m.company in companies}
    in_body = [m.company for m in sorted(t.mentions, key=lambda m: m.start) if m.company in companies]
    if not in_body:
        return in_title
    counts = Counter(in_body)
    dominant = {c for c, n in counts.items() if n >= 2 * counts[in_body[0]]}
    return in_title | {in_body[0]} | dominant


def subject_follows_article(s: Sentiment, doc: Sentiment, of_text: dict[str, float]) -> Sentiment:
    """The text's only watched company, left neutral, takes the article's polar label when the document model gives
    that label at least SUBJECT_CONFIDENCE (LABELLING.md: 98 % of the shared single-company items share the text's
    tone; the company model, trained on fewer items, is the more often unsure)."""
    if s.label != "neutral" or doc.label == "neutral" or of_text.get(doc.label, 0.0) < SUBJECT_CONFIDENCE:
        return s
    return relabelled(s, doc.label)


def clear_score_speaks(s: Sentiment, score: float, threshold: float, *, verdict: bool = False,
                       whole_text: float | None = None) -> Sentiment:
    """A neutral article takes the polarity of a clear lexicon score (|score| ≥ `threshold`: the whole text's, or
    its headline's), unless that is praise against the author's negative verdict (`verdict_first`) or the whole
    text's score (`whole_text`, when `score` is the headline's) reads the other way. Companies keep their own
    decision."""
    label = label_for(score)
    if (s.label != "neutral" or abs(score) < threshold or (verdict and label == "positive")
            or (whole_text is not None and label_for(whole_text) not in ("neutral", label))):
        return s
    return relabelled(s, label)


def relabelled(s: Sentiment, label: str) -> Sentiment:
    """The same decision under another label: its score moved into that label's band, its confidence and evidence
    kept."""
    return Sentiment(label=label, score=consistent_score(label, s.score), confidence=s.confidence, evidence=s.evidence)


def guarded(label: str, confidence: float, rules: float, min_confidence: float) -> str:
    """A polar label the lexicon rules clearly contradict (`rules`, their score, at least CLEAR_RULES the other
    way), or one the model is unsure of while the rules do not back it, becomes neutral: an analyst pays more for a
    negative read as positive than for a tone left unsaid. A faint contrary score does not veto a label the model
    gives with MIN_CONFIDENCE: an op-ed that reports a company's promises before its verdict reads +0.19 to the rules
    (docs/tone.md, « Rebuttals and verdicts »). A label the model is all but sure of (SURE_CONFIDENCE) stands
    whatever the rules read (+0.11 for « The company behind Grok's images is just 15 days old »)."""
    if label == "neutral" or confidence >= SURE_CONFIDENCE:
        return label
    rules_label = label_for(rules)
    if rules_label not in ("neutral", label) and abs(rules) >= CLEAR_RULES:
        return "neutral"
    if rules_label != label and confidence < min_confidence:
        return "neutral"
    return label


def consistent_score(label: str, score: float) -> float:
    """A score inside the label's band (±NEUTRAL_BAND), since alert rules and dashboards filter on scores."""
    if label == "neutral":
        score = max(-NEUTRAL_BAND + 0.01, min(NEUTRAL_BAND - 0.01, score))
    elif label == "positive":
        score = max(score, NEUTRAL_BAND)
    else:
        score = min(score, -NEUTRAL_BAND)
    return _clip(score)


def _clip(score: float) -> float:
    return max(-1.0, min(1.0, round(score, 4)))


def get_tone(backend: str, model_path: Path | None = None) -> RuleTone | TrainedTone:
    """`model` (default): the trained decider; `lexicon`/`transformers`: fixed-weight rules over sentence scores."""
    return TrainedTone(model_path) if backend == "model" else RuleTone()
