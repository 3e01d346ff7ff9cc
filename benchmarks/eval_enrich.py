"""Enrichment quality on a labelled JSONL file (`make eval`), next to a plain baseline.

Gold lines: {"id", "lang", "text", "orgs", "persons", "places", "sentiment", "entity_sentiment", "notes"}.
Baseline: spaCy ORG spans matched to watchlist aliases by exact string; raw spaCy PER/LOC spans; VADER
(English) / textblob-fr (French) polarity of the whole text with fixed thresholds, used for every company too.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

TARGETS = {"orgs_f1": 0.95, "per_f1": 0.85, "doc_macro_f1": 0.75, "company_acc": 0.75, "false_friends": 0}
LABELS = ("negative", "neutral", "positive")


def read_gold(path: Path) -> list[dict]:
    items = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise SystemExit(f"{path}:{lineno}: not JSON ({exc.msg})") from None
    return items


def set_f1(pairs: list[tuple[set, set]]) -> tuple[float, float, float]:
    tp = sum(len(g & p) for g, p in pairs)
    fp = sum(len(p - g) for g, p in pairs)
    fn = sum(len(g - p) for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def macro_f1(gold: list[str], pred: list[str]) -> float:
    scores = []
    for label in LABELS:
        tp = sum(g == p == label for g, p in zip(gold, pred))
        fp = sum(p == label and g != label for g, p in zip(gold, pred))
        fn = sum(g == label and p != label for g, p in zip(gold, pred))
        if tp + fp + fn == 0:
            continue
        scores.append(2 * tp / (2 * tp + fp + fn))
    return sum(scores) / len(scores) if scores else 0.0


def is_false_friend_item(item: dict) -> bool:
    return item.get("notes", "").lower().startswith("ambiguity")


def evaluate(gold: list[dict], predictions: dict[str, dict]) -> dict:
    org_pairs, per_pairs, loc_pairs = [], [], []
    doc_gold, doc_pred = [], []
    company_hits = company_total = 0
    false_friends = 0
    errors = []
    for item in gold:
        pred = predictions[item["id"]]
        g_orgs, p_orgs = set(item["orgs"]), set(pred["orgs"])
        org_pairs.append((g_orgs, p_orgs))
        per_pairs.append((set(item["persons"]), set(pred["entities"]["PER"])))
        loc_pairs.append((set(item["places"]), set(pred["entities"]["LOC"])))
        doc_gold.append(item["sentiment"])
        doc_pred.append(pred["sentiment"]["label"])
        for company, label in item["entity_sentiment"].items():
            company_total += 1
            got = pred["entity_sentiment"].get(company, {}).get("label")
            company_hits += got == label
            if got != label:
                errors.append(f"{item['id']} {company}: gold {label}, got {got}")
        if is_false_friend_item(item):
            false_friends += len(p_orgs - g_orgs)
        if doc_pred[-1] != doc_gold[-1]:
            errors.append(f"{item['id']} document: gold {doc_gold[-1]}, got {doc_pred[-1]} "
                          f"({pred['sentiment'].get('score')})")
        if g_orgs != p_orgs:
            errors.append(f"{item['id']} orgs: gold {sorted(g_orgs)}, got {sorted(p_orgs)}")
    o = set_f1(org_pairs)
    p = set_f1(per_pairs)
    loc = set_f1(loc_pairs)
    return {
        "items": len(gold),
        "orgs_precision": o[0], "orgs_recall": o[1], "orgs_f1": o[2],
        "per_precision": p[0], "per_recall": p[1], "per_f1": p[2],
        "loc_f1": loc[2],
        "doc_macro_f1": macro_f1(doc_gold, doc_pred),
        "doc_accuracy": sum(g == q for g, q in zip(doc_gold, doc_pred)) / len(gold),
        "company_acc": company_hits / company_total if company_total else 0.0,
        "company_pairs": company_total,
        "false_friends": false_friends,
        "errors": errors,
    }


def predict_newsroom(gold: list[dict]) -> tuple[dict[str, dict], float]:
    from pipeline.enrich import EnrichInput, get_enricher

    enricher = get_enricher()
    list(enricher.enrich_many([EnrichInput(id="warm-up", text="Bonjour. Hello.")]))  # load models outside the timing
    start = time.perf_counter()
    out = {}
    inputs = (EnrichInput(id=i["id"], text=i["text"], lang=i.get("lang")) for i in gold)
    for enrichment in enricher.enrich_many(inputs):
        out[enrichment.id] = enrichment.model_dump()
    return out, time.perf_counter() - start


def predict_baseline(gold: list[dict]) -> dict[str, dict]:
    from textblob import TextBlob
    from textblob_fr import PatternAnalyzer, PatternTagger
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    from pipeline.enrich.models import load_nlp
    from pipeline.enrich.watchlist import load_watchlist, watchlist_path

    watchlist = load_watchlist(watchlist_path())
    alias_to_company = {}
    for company in watchlist.companies:
        for alias in [company.name, *company.aliases, *company.exact, *company.ambiguous]:
            alias_to_company[alias] = company.name
    vader = SentimentIntensityAnalyzer()
    out = {}
    for item in gold:
        lang = item["lang"]
        doc = load_nlp(lang)(item["text"])
        orgs = sorted({alias_to_company[e.text] for e in doc.ents if e.label_ == "ORG" and e.text in alias_to_company})
        persons = sorted({e.text for e in doc.ents if e.label_ in ("PER", "PERSON")})
        places = sorted({e.text for e in doc.ents if e.label_ in ("LOC", "GPE")})
        if lang == "en":
            score, band = vader.polarity_scores(item["text"])["compound"], 0.05
        else:
            score = TextBlob(item["text"], pos_tagger=PatternTagger(), analyzer=PatternAnalyzer()).sentiment[0]
            band = 0.1
        label = "negative" if score <= -band else "positive" if score >= band else "neutral"
        out[item["id"]] = {
            "orgs": orgs, "entities": {"PER": persons, "LOC": places},
            "sentiment": {"label": label, "score": score},
            "entity_sentiment": {c: {"label": label} for c in orgs},
        }
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, required=True)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--errors", action="store_true", help="list every wrong item")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    if not args.gold.exists():
        print(f"Gold file {args.gold} not found (it lives in ../shared/gold).", file=sys.stderr)
        return 2
    gold = read_gold(args.gold)
    predictions, seconds = predict_newsroom(gold)
    ours = evaluate(gold, predictions)
    base = evaluate(gold, predict_baseline(gold))
    missed = [k for k, target in TARGETS.items()
              if (ours[k] > target if k == "false_friends" else ours[k] < target)]
    if args.json:
        print(json.dumps({"newsroom": {k: v for k, v in ours.items() if k != "errors"},
                          "baseline": {k: v for k, v in base.items() if k != "errors"},
                          "targets": TARGETS, "missed": missed, "seconds": seconds}, indent=2))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=f"Enrichment quality on {args.gold.name} ({len(gold)} items, {seconds:.2f} s)")
        for col in ("metric", "newsroom", "baseline", "target"):
            table.add_column(col, justify="left" if col == "metric" else "right")
        rows = [("orgs micro-F1 (watchlist)", "orgs_f1"), ("orgs precision", "orgs_precision"),
                ("orgs recall", "orgs_recall"), ("PER F1 (exact names)", "per_f1"), ("LOC F1", "loc_f1"),
                ("document sentiment macro-F1", "doc_macro_f1"), ("document sentiment accuracy", "doc_accuracy"),
                ("per-company sentiment accuracy", "company_acc"), ("false companies on false-friend texts",
                                                                    "false_friends")]
        for title, key in rows:
            fmt = (lambda v: str(v)) if key == "false_friends" else (lambda v: f"{v:.3f}")
            target = TARGETS.get(key)
            table.add_row(title, fmt(ours[key]), fmt(base[key]),
                          "" if target is None else ("≤ 0" if key == "false_friends" else f"≥ {target}"))
        Console().print(table)
        print("targets missed: " + (", ".join(missed) if missed else "none"))
        from pipeline.settings import load_settings

        if load_settings().sentiment_backend.strip().lower() == "model":
            print("note: the trained tone model learnt from these items, so its tone rows here are not out-of-sample; "
                  "cross-validated tone figures: python -m benchmarks.eval_tone (part of `make eval`).")
    if args.errors:
        print("\n".join(ours["errors"]))
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
