"""NER spans → clean, deduplicated PER / ORG / LOC / MISC names.

Models return "la France", "M. Macron", "Nvidia's", « Mistral AI » and the same person three times; users
want "France", "Emmanuel Macron", "Nvidia", "Mistral AI" once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.enrich.gazetteer import is_first_name, lookup_place, looks_like_org

LABELS = {
    "PER": "PER", "PERSON": "PER",
    "ORG": "ORG",
    "LOC": "LOC", "GPE": "LOC",
    "MISC": "MISC", "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC", "LAW": "MISC",
    "FAC": "LOC",
}
_LEADING = re.compile(
    r"^(?:(?:le|la|les|du|des|de la|de l['’]|l['’]|d['’]|au|aux|the)\s*)+(?=\S)", re.IGNORECASE
)
_TITLES = re.compile(
    r"^(?:(?:M\.|MM\.|Mme|Mmes|Mlle|Me|Dr|Pr|Mr\.?|Mrs\.?|Ms\.?|Dr\.|Prof\.?|Sir|Lord|Dame|President|Président"
    r"|Présidente|CEO|Chief Executive|Ministre|Minister|Senator|Sénateur|Sénatrice)\s+)+"
)
_POSSESSIVE = re.compile(r"['’]s?$")
_EDGE = "\"'«»“”‘’()[]{}.,;:!?-–— \u00a0\n\t"
# lower-case words that belong inside personal names ("Thalès de Milet", "Ursula von der Leyen")
_PARTICLES = {"de", "du", "des", "d'", "d’", "von", "van", "der", "den", "la", "le", "di", "da", "del", "della", "dos",
              "das", "bin", "ibn", "al", "el", "ten", "ter", "zu", "y", "e"}
_PARTICLE_RE = "|".join(sorted((re.escape(p) for p in _PARTICLES), key=len, reverse=True))
_NEXT_NAME = re.compile(rf"(?:\s+(?:{_PARTICLE_RE}))*\s+([A-ZÀ-ÖØ-Þ][\w’'-]+)")
_BIG_CITY = 100_000  # an ORG span that is exactly a city this large is the city (metonymy: "Bruxelles a tranché")
_NOT_NAMES = {"AI", "IA", "IT", "CEO", "PDG", "GPU", "GPUs", "API", "LLM", "CTO", "CFO", "DG"}


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str
    label: str  # PER / ORG / LOC / MISC


def clean_name(text: str, label: str) -> str:
    name = " ".join(text.split()).strip(_EDGE)
    name = _POSSESSIVE.sub("", name).strip(_EDGE)
    if label == "PER":
        name = _TITLES.sub("", name)
    elif label in ("LOC", "ORG", "MISC"):
        stripped = _LEADING.sub("", name)
        # keep articles that belong to a name ("Le Monde", "La Poste"): only strip lower-case ones
        if stripped and name[:1].islower() or (stripped and label == "LOC"):
            name = stripped[:1].upper() + stripped[1:] if name[:1].islower() else stripped
    return name.strip(_EDGE)


def _plausible(name: str, label: str) -> bool:
    if len(name) < 2 or not any(ch.isalpha() for ch in name) or not name[:1].isupper() and not name[:1].isdigit():
        return False
    if label == "PER":
        words = name.split()
        if any(ch.isdigit() for ch in name) or len(words) > 5:
            return False
        if name.isupper() and len(name) > 3:  # shouting headline words, not people
            return False
    return True


def fix_person_span(span: Span, text: str) -> Span:
    """Cut "Niel au Figaro" at the first lower-case word that is no name particle; finish "Ursula von (der Leyen)"
    from the words that follow, or else from the full form written elsewhere in the text."""
    words = span.text.split()
    for k, word in enumerate(words[1:], 1):
        if word[:1].islower() and word.lower() not in _PARTICLES:
            cut = " ".join(words[:k])
            return Span(span.start, span.start + len(cut), cut, span.label)
    if len(words) > 1 and words[-1].lower() in _PARTICLES:
        nxt = _NEXT_NAME.match(text, span.end)
        if nxt:
            return Span(span.start, nxt.end(), text[span.start:nxt.end()], span.label)
        full = re.search(re.escape(span.text) + _NEXT_NAME.pattern, text)
        if full:
            return Span(span.start, span.end, full.group(), span.label)
    return span


def person_like(name: str) -> bool:
    """Two to four words, a known first name first, every other word capitalised or a particle ("Ursula von der
    Leyen"), no organisation word ("Delos Cloud") and no place ("Saint-Ouen")."""
    words = name.split()
    if not 2 <= len(words) <= 4 or any(ch.isdigit() for ch in name) or looks_like_org(name):
        return False
    if not all(w[:1].isupper() or w.lower() in _PARTICLES for w in words[1:]):
        return False
    return is_first_name(words[0]) and lookup_place(name) is None


def classify(name: str, label: str) -> str | None:
    """The label a cleaned span really deserves, or None to drop it (see docs/enrichment.md, "Entities")."""
    if label == "PER":
        if person_like(name):
            return "PER"
        if lookup_place(name):
            return "LOC"
        words = name.split()
        if looks_like_org(name) or (len(words) > 1 and all(w[:1].isupper() for w in words)):
            return "ORG"  # "Andreessen Horowitz", "Der Spiegel", "Tom's Hardware"
        return None  # phrases ("Cloud launches"), lone words ("Gmail", "Funny")
    if label == "LOC":
        if lookup_place(name):
            return "LOC"
        if person_like(name):
            return "PER"
        return "ORG" if looks_like_org(name) else None  # "Bourse", "SecNumCloud", "Route 53"
    if label == "ORG":
        place = lookup_place(name)
        if place and (place.kind != "city" or place.population >= _BIG_CITY) and not looks_like_org(name):
            return "LOC"
        return "PER" if person_like(name) else "ORG"
    if label == "MISC":
        if lookup_place(name):
            return "LOC"
        if person_like(name):
            return "PER"
        return "ORG" if looks_like_org(name) else "MISC"
    return label


def normalise_entities(spans: list[Span], drop: list[tuple[int, int]] = ()) -> dict:
    """Group cleaned names by label, dropping spans that overlap `drop` (watchlist matches, linked separately).

    Places get their canonical name ("United States"); `place_forms` maps it to the forms the text used.
    """
    out: dict[str, list[str]] = {"PER": [], "ORG": [], "LOC": [], "MISC": []}
    forms: dict[str, list[str]] = {}
    seen: dict[str, set[str]] = {k: set() for k in out}
    for span in spans:
        if any(span.start < e and s < span.end for s, e in drop):
            continue
        name = clean_name(span.text, span.label)
        if not _plausible(name, span.label):
            continue
        label = classify(name, span.label)
        if label is None:
            continue
        if label != span.label:
            name = clean_name(span.text, label)
        if label == "LOC":
            place = lookup_place(name)
            if place is None:
                continue
            forms.setdefault(place.canonical, [])
            if name not in forms[place.canonical]:
                forms[place.canonical].append(name)
            name = place.canonical
        if not _plausible(name, label):
            continue
        key = name.casefold()
        if key not in seen[label]:
            seen[label].add(key)
            out[label].append(name)
    out["PER"] = _merge_partial_names(out["PER"])
    # "Von der Leyen" tagged ORG next to the person "Ursula von der Leyen": one person, not an organisation
    person_parts = set()
    for person in out["PER"]:
        words = person.split()
        person_parts.update(" ".join(words[k:]).casefold() for k in range(len(words)))
    for label in ("ORG", "LOC", "MISC"):
        out[label] = [n for n in out[label] if n.casefold() not in person_parts and n not in _NOT_NAMES]
    return {**out, "place_forms": {k: v for k, v in forms.items() if k in out["LOC"]}}


def _merge_partial_names(names: list[str]) -> list[str]:
    """'Macron' and 'Emmanuel Macron' are one person: keep the longest form seen in the text."""
    full = [n for n in names if len(n.split()) > 1]
    merged: list[str] = []
    for name in names:
        if len(name.split()) == 1:
            parts = {p for n in full for p in n.split()}
            if name in parts:
                continue
        if name not in merged:
            merged.append(name)
    return merged
