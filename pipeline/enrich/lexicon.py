"""The default sentence scorer: lexicons plus the rules that news prose needs.

Plain polarity lexicons read "n'est pas un échec" as negative and "'sovereign' cloud" as praise. This scorer
starts from well-kept lexicons (VADER for English, with AFINN-165's words VADER lacks; for French, textblob-fr's adjectives and VADER's hand
translation from vaderSentiment-fr) overlaid with a domain lexicon for
economy/technology/sovereignty news (lexicons/domain_*.tsv, matched on Snowball stems so inflections count),
then applies negation (with its scope and litotes such as « ne cachent pas leur satisfaction »), intensifiers,
contrast (« mais », "but" weigh the second clause; « malgré », "despite" discount theirs), scare quotes and
"so-called" (irony flips praise), and rhetorical doubt ("Souverain, vraiment ?").
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from importlib import resources
from pathlib import Path

from nltk.stem.snowball import SnowballStemmer

LEXICON_DIR = Path(__file__).with_name("lexicons")
ALPHA = 15.0  # VADER's normalisation constant: score = s / sqrt(s² + α)
NEGATION_FLIP = -0.74  # VADER's scalar for a negated word
HEDGE_FACTOR = 0.35
MIN_TRANSLATED_VALENCE = 1.0  # of vaderSentiment-fr's entries, on VADER's scale (max 4)
TRANSLATED_WEIGHT = 0.5  # a translation out of context is a weaker witness than textblob-fr's French adjectives
AFINN_SCALE = 0.8  # AFINN's integers run from -5 to +5, VADER's means from -4 to +4

_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*|\d+(?:[.,]\d+)*\s?%?|[«»“”\"‘’']|[?!;:,.()]")
_ELISIONS = {"l", "d", "n", "s", "c", "j", "m", "t", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}

_LANG_WORDS = {
    "en": {
        "negators": {"not", "n't", "no", "never", "without", "nor", "neither", "hardly", "barely", "cannot",
                     "nothing", "none"},
        "absorbers": ("hide", "conceal", "mask", "stop", "fail", "doubt"),
        # Verbs of failure negate what they fail at: "struggles to win customers" is not a win, and "did not fail
        # to impress" (a negation before them) is praise. Followed by "to"; forms, not stems ("failure" is a noun).
        "failures": {"struggle", "struggles", "struggled", "struggling", "fail", "fails", "failed", "failing",
                     "unable"},
        "failure_link": {"to"},
        "clause_negators": [("would", "be", "a", "mistake", "to"), ("it", "is", "a", "mistake", "to"),
                            ("far", "from"), ("rather", "than"), ("instead", "of"), ("not", "because"),
                            ("anything", "but")],
        "intensifiers": {"very", "extremely", "highly", "sharply", "deeply", "hugely", "significantly", "strongly",
                         "particularly", "severely", "badly", "greatly", "substantially", "remarkably",
                         "strikingly", "most", "so", "too", "truly", "well", "widely", "heavily", "massive",
                         "huge", "major"},
        "diminishers": {"slightly", "somewhat", "marginally", "modestly", "partly", "little", "modest", "slight",
                        "mildly"},
        "adversatives": {"but", "however", "yet", "nevertheless", "nonetheless", "instead", "whereas"},
        "adversative_phrases": [("by", "contrast"), ("in", "contrast"), ("on", "the", "other", "hand")],
        "concessives": {"despite", "although", "notwithstanding", "though"},
        "concessive_phrases": [("even", "though"), ("even", "if"), ("in", "spite", "of")],
        "so_called": [("so-called",), ("self-styled",), ("supposedly",), ("would-be",), ("billed", "as"),
                      ("touted", "as"), ("purportedly",), ("disguised", "as"),
                      ("dressed", "up", "as")],
        "naming": {"called", "named", "dubbed", "titled", "branded", "nicknamed", "codenamed"},
        "doubt": {"really", "truly", "actually", "seriously"},
        "possessives": set(),  # French only: « leur propre » (below)
        # Reporting words: a sentence carrying them is someone's claim ("the company says…"), which the author's
        # own verdict may contradict. The word itself carries no tone (VADER scores "promises" +1.6): what is
        # promised does.
        "reporting": {"promises", "promised", "says", "said", "claims", "claimed", "according", "touts", "touted",
                      "announced", "announces", "insists", "hopes", "boasts", "vows", "pledged", "pledges"},
        # Words of change shift the tone of what changes (sentiment composition): less of something bad is good
        # news ("narrows its losses", "reduces our dependence"), more of it is bad news whatever the verb's own
        # valence ("risks increase", "deepens the crisis"). Verbs take an object or, used alone, their subject;
        # the nouns take what follows "of"/"in"; the intransitive verbs only their subject ("shares fell amid
        # fears" does not make the fears good news).
        "decrease_verbs": {"reduce", "reduces", "reduced", "reducing", "cut", "cuts", "cutting", "lower", "lowers",
                           "lowered", "lowering", "ease", "eases", "eased", "easing", "curb", "curbs", "curbed",
                           "narrow", "narrows", "narrowed", "narrowing", "shrink", "shrinks", "shrank", "shrunk",
                           "limit", "limits", "limiting", "trim", "trims", "trimmed", "halve", "halves", "halved",
                           "decrease", "decreases", "decreased", "diminish", "diminishes", "diminished", "lessen",
                           "lessens", "lessened", "alleviate", "alleviates", "alleviated", "mitigate", "mitigates",
                           "mitigated", "slash", "slashes", "slashed", "eliminate", "eliminates", "eliminated"},
        "decrease_nouns": {"reduction", "reductions", "decrease", "decline", "drop", "fall", "cut", "cuts",
                           "easing"},
        "decrease_intransitive": {"fell", "fall", "falls", "fallen", "drop", "drops", "dropped", "decline",
                                  "declines", "declined", "receded", "recedes", "subsided", "subsides"},
        "increase_verbs": {"increase", "increases", "increased", "increasing", "raise", "raises", "raised",
                           "deepen", "deepens", "deepened", "widen", "widens", "widened", "strengthen",
                           "strengthens", "strengthened", "reinforce", "reinforces", "reinforced", "boost", "boosts",
                           "boosted", "heighten", "heightens", "heightened", "intensify", "intensifies",
                           "intensified", "double", "doubles", "doubled", "fuel", "fuels", "fuelled", "fueled",
                           "amplify", "amplifies", "amplified", "worsen", "worsens", "worsened", "accentuate"},
        "increase_nouns": {"increase", "rise", "growth", "surge", "jump", "widening", "deepening", "spike"},
        "increase_intransitive": {"rose", "rise", "rises", "risen", "grew", "grow", "grows", "jumped", "surged",
                                  "soared", "mounted", "mount", "mounts"},
        "change_links": {"of", "in"},
        "measure_links": {"by", "to", "from"},
        "claims": {"sovereign", "sovereignty", "trust", "trusted", "independent", "independence", "european",
                   "secure", "green", "responsible", "ethical", "open", "free", "transparent", "safe", "neutral",
                   "local", "partnership", "innovation", "democratic"},
    },
    "fr": {
        "negators": {"ne", "n'", "pas", "jamais", "aucun", "aucune", "sans", "ni", "guère", "nullement", "rien",
                     "personne"},
        "absorbers": ("cach", "dissimul", "masqu", "empêch", "manqu", "boud", "cess", "dout"),
        "failures": {"peine", "peinent", "peinait", "peinaient", "peiné", "échoue", "échouent", "échoué",
                     "échouait", "échouaient", "tarde", "tardent", "tardé", "mal"},  # « a du mal à »
        "failure_link": {"à"},
        "clause_negators": [("loin", "d'"), ("loin", "de"), ("plutôt", "que"), ("au", "lieu", "de"),
                            ("ce", "serait", "une", "erreur", "de"), ("à", "tort"), ("tout", "sauf")],
        "intensifiers": {"très", "fortement", "nettement", "extrêmement", "particulièrement", "vivement",
                         "lourdement", "profondément", "largement", "considérablement", "vraiment", "si", "trop",
                         "fort", "forte", "gros", "grosse", "énorme", "massif", "massive", "majeur", "majeure",
                         "vive", "sévère", "sévèrement", "géant", "géante", "plus"},
        "diminishers": {"léger", "légère", "légèrement", "peu", "modeste", "modestement", "modérément",
                        "relativement", "partiellement", "quelque"},
        "adversatives": {"mais", "cependant", "pourtant", "toutefois", "néanmoins", "or"},
        "adversative_phrases": [("en", "revanche"), ("par", "contre"), ("à", "l'inverse"), ("tandis", "que"),
                                ("alors", "que")],
        "concessives": {"malgré", "quoique"},
        "concessive_phrases": [("bien", "que"), ("même", "si"), ("en", "dépit"), ("certes",)],
        "so_called": [("soi-disant",), ("prétendu",), ("prétendue",), ("prétendus",), ("prétendues",),
                      ("autoproclamé",), ("autoproclamée",), ("déguisé", "en"), ("déguisée", "en"),
                      ("déguisés", "en"), ("déguisées", "en"), ("maquillé", "en"), ("maquillée", "en")],
        "naming": {"baptisé", "baptisée", "appelé", "appelée", "nommé", "nommée", "intitulé", "intitulée",
                   "surnommé", "surnommée", "dénommé", "dénommée", "marque"},
        "doubt": {"vraiment", "réellement", "sérieusement"},
        # « leur propre infrastructure » is their own, not a clean one: « propre » after a possessive judges nothing
        "possessives": {"mon", "ma", "mes", "ton", "ta", "tes", "son", "sa", "ses", "notre", "nos", "votre", "vos",
                        "leur", "leurs"},
        "reporting": {"promet", "promettent", "assure", "assurent", "affirme", "affirment", "annonce", "annoncent",
                      "selon", "vante", "vantent", "revendique", "revendiquent", "dit", "disent", "déclare", "estime",
                      "espère"},
        "decrease_verbs": {"réduire", "réduit", "réduisent", "réduisait", "réduira", "réduite", "réduites",
                           "réduits", "diminuer", "diminue", "diminuent", "diminué", "diminuée", "limiter", "limite",
                           "limitent", "limité", "alléger", "allège", "allègent", "allégé", "atténuer", "atténue",
                           "atténuent", "atténué", "endiguer", "endigue", "enrayer", "enraye", "juguler", "jugule",
                           "résorber", "résorbe", "résorbent", "résorbé", "freiner", "freine", "freinent", "freiné",
                           "éliminer", "élimine", "éliminé", "contenir", "contient", "contenu", "baisser",
                           "abaisser", "abaisse", "réduisant", "divise", "divisé"},
        "decrease_nouns": {"réduction", "réductions", "baisse", "diminution", "recul", "repli", "chute",
                           "allègement", "résorption", "reflux"},
        "decrease_intransitive": {"baisse", "baissent", "baissé", "recule", "reculent", "reculé", "chute",
                                  "chutent", "chuté", "reflue", "refluent", "reflué", "fond", "fondent"},
        "increase_verbs": {"renforcer", "renforce", "renforcent", "renforcé", "renforcée", "accroître", "accroît",
                           "accroissent", "accru", "accrue", "augmenter", "augmente", "augmentent", "augmenté",
                           "creuser", "creuse", "creusent", "creusé", "accentuer", "accentue", "accentuent",
                           "accentué", "amplifier", "amplifie", "amplifient", "amplifié", "alourdir", "alourdit",
                           "alourdissent", "alourdi", "intensifier", "intensifie", "intensifié", "doubler", "double",
                           "doublé", "aggraver", "aggrave", "aggravent", "aggravé", "alimenter", "alimente",
                           "alimentent", "attiser", "attise", "attisent", "nourrit", "nourrissent"},
        "increase_nouns": {"hausse", "augmentation", "accroissement", "aggravation", "envolée", "flambée",
                           "creusement", "montée", "renforcement", "explosion"},
        "increase_intransitive": {"grimpe", "grimpent", "grimpé", "bondit", "bondissent", "bondi", "flambe",
                                  "flambent", "flambé", "explose", "explosent", "explosé", "croît", "croissent",
                                  "s'envole", "envole", "envolent", "progresse", "progressent"},
        "change_links": {"de", "du", "des", "d'"},
        "measure_links": {"de", "à", "d'"},
        "claims": {"souverain", "souveraine", "souveraineté", "confiance", "indépendant", "indépendante",
                   "indépendance", "européen", "européenne", "sécurisé", "vert", "verte", "responsable",
                   "éthique", "ouvert", "ouverte", "gratuit", "transparent", "transparence", "neutre", "local",
                   "partenariat", "innovation", "démocratique", "français", "française", "national", "nationale"},
    },
}
_QUOTES_OPEN = {"«", "“", '"', "‘", "'"}
_QUOTES_CLOSE = {"»", "”", '"', "’", "'"}
_CLAUSE_BREAKS = {",", ";", ":", "(", ")", "?", "!", "."}


@lru_cache(maxsize=2)
def _stemmer(lang: str) -> SnowballStemmer:
    return SnowballStemmer("french" if lang == "fr" else "english")


def _snowball_stem(word: str, lang: str) -> str:
    stem = _stemmer(lang).stem(word)
    # NLTK's French Snowball leaves many 3rd-person plurals whole ("dénoncent", "reculent"): stem the singular.
    if lang == "fr" and stem == word and len(word) > 5 and word.endswith("ent"):
        stem = _stemmer(lang).stem(word[:-2])
    return stem


# One cache per language, keyed by the word alone: functools looks a lone string up without building a key tuple
# (0.14 µs a lookup against 0.40 for (word, lang)), and the scorer looks up every token of every sentence.
@lru_cache(maxsize=200_000)
def _stem_fr(word: str) -> str:
    return _snowball_stem(word, "fr")


@lru_cache(maxsize=200_000)
def _stem_en(word: str) -> str:
    return _snowball_stem(word, "en")  # every language but French is stemmed as English (`_stemmer`)


def stem_function(lang: str):
    """The cached stemmer of `lang`: French, else English."""
    return _stem_fr if lang == "fr" else _stem_en


def _stem(word: str, lang: str) -> str:
    return stem_function(lang)(word)


def tokenize(sentence: str) -> list[str]:
    """Lower-cased tokens; elisions (l', n', d') and English "n't"/"'s" split off; quotes kept as tokens."""
    return tokenize_with_case(sentence)[0]


def tokenize_with_case(sentence: str) -> tuple[list[str], list[bool]]:
    """Tokens as `tokenize`, plus whether each began with a capital letter (a name, most of the time)."""
    out: list[str] = []
    caps: list[bool] = []
    for raw in _TOKEN_RE.findall(sentence):
        tok = raw.lower().replace("’", "'")
        cap = raw[0].isupper()
        if "'" in tok and len(tok) > 1 and tok[0] != "'":
            head, _, tail = tok.partition("'")
            if tok.endswith("n't"):  # "don't" → do + n't; a bare "n't" (text tokenized elsewhere: "do n't") is one
                out += [tok[:-3], "n't"] if len(tok) > 3 else ["n't"]
                caps += [cap, False] if len(tok) > 3 else [False]
                continue
            if tail == "s" or tail == "":
                out += [head, "'s"] if tail == "s" else [head]
                caps += [cap, False] if tail == "s" else [cap]
                continue
            if head in _ELISIONS:
                out += [head + "'", tail]
                caps += [False, raw[len(head) + 1:][:1].isupper()]
                continue
        out.append(tok)
        caps.append(cap)
    return out, caps


GAP = "*"  # in a domain phrase: up to MAX_GAP words of the same clause ("cut * prices": "cuts GPU prices")
MAX_GAP = 2


def _read_domain(lang: str) -> tuple[dict[str, float], dict[str, list[tuple[tuple[str, ...], float]]], set,
                                     dict[str, float]]:
    """Stemmed terms and phrases, hedges, and exact forms (`=form`): a word that shares a term's stem, or whose
    translation took the wrong sense, but means something else in the news (« accélérateurs », « détient »)."""
    words: dict[str, float] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], float]]] = {}
    hedges: set[tuple[str, ...]] = set()
    forms: dict[str, float] = {}
    path = LEXICON_DIR / f"domain_{lang}.tsv"
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            term, value = line.split("\t")
        except ValueError:
            raise ValueError(f"{path}:{lineno}: expected 'term<TAB>valence', got {line!r}") from None
        if term.startswith("="):
            forms[term[1:].lower()] = float(value)
            continue
        stems = tuple(GAP if part == GAP else _stem(t, lang)
                      for part in term.split() for t in (tokenize(part) or [part]))
        if GAP in (stems[0], stems[-1]) or (GAP in stems and value.strip() == "N"):
            raise ValueError(f"{path}:{lineno}: a * stands between two words of a phrase (not in a hedge)")
        if value.strip() == "N":
            hedges.add(stems)
            continue
        valence = float(value)
        if len(stems) == 1:
            words[stems[0]] = valence
        else:
            phrases.setdefault(stems[0], []).append((stems, valence))
    for entries in phrases.values():
        entries.sort(key=lambda e: -len(e[0]))
    return words, phrases, hedges, forms


def phrase_width(stems: list[str], i: int, phrase: tuple[str, ...]) -> int:
    """How many tokens `phrase` covers from position i, or 0 when it does not match there."""
    if GAP not in phrase:  # most phrases: one slice comparison
        return len(phrase) if tuple(stems[i:i + len(phrase)]) == phrase else 0
    k = i
    for j, part in enumerate(phrase):
        if part != GAP:
            if k >= len(stems) or stems[k] != part:
                return 0
            k += 1
            continue
        following = phrase[j + 1]  # _read_domain: a gap is never last
        for skip in range(MAX_GAP + 1):
            if k + skip < len(stems) and stems[k + skip] == following:
                k += skip
                break
            if k + skip >= len(stems) or stems[k + skip] in _CLAUSE_BREAKS:
                return 0
        else:
            return 0
    return k - i


def _read_general(lang: str) -> dict[str, float]:
    """Word form → valence on VADER's scale, from the lexicons shipped by vaderSentiment and afinn, or textblob-fr."""
    if lang == "en":
        text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
        out = {}
        for line in text.splitlines():
            parts = line.split("\t")
            if len(parts) >= 2:
                try:
                    out[parts[0]] = float(parts[1])
                except ValueError:
                    continue
        return {**_read_afinn_en(), **out}
    xml = resources.files("textblob_fr").joinpath("fr-sentiment.xml").read_bytes()
    out: dict[str, list[float]] = {}
    for word in ET.fromstring(xml).iter("word"):
        form, polarity, subjectivity = word.get("form"), word.get("polarity"), word.get("subjectivity")
        if not (form and polarity and subjectivity):
            continue
        # Keep evaluative adjectives only: "premier", "tous", "français" carry a polarity there but judge nothing.
        if float(subjectivity) >= 0.35 and abs(float(polarity)) >= 0.2:
            out.setdefault(form.lower(), []).append(float(polarity))
    # textblob-fr polarities live in [-1, 1] and are cautious: bring them to VADER's scale.
    adjectives = {form: 2.5 * sum(values) / len(values) for form, values in out.items()}
    return {**_read_vader_fr(), **adjectives}


def _read_afinn_en() -> dict[str, float]:
    """AFINN-165 (Finn Årup Nielsen's word list, 3,382 entries, written for news and social media): where VADER is
    silent — "afraid", "corrupt", "plagued", "sued", "underperformed", "prosperity" — its valence, on VADER's scale.
    VADER keeps the words both lists hold. Phrases ("does not work") are left to the negation rules."""
    text = resources.files("afinn").joinpath("data/AFINN-en-165.txt").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        word, _, value = line.rpartition("\t")
        if word and " " not in word:
            try:
                out[word] = AFINN_SCALE * float(value)
            except ValueError:
                continue
    return out


def _read_vader_fr() -> dict[str, float]:
    """VADER's lexicon translated by hand into French (vaderSentiment-fr): the nouns and verbs (« désastre »,
    « convaincu ») that textblob-fr's adjectives lack, with every inflected form, on VADER's scale.

    Weak entries and function words are left out: the translation gives « intelligence », « chez » or « certains »
    a valence that would colour every article on artificial intelligence."""
    from spacy.lang.fr.stop_words import STOP_WORDS

    text = resources.files("vaderSentiment_fr").joinpath("fr_lexicon.txt").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        form, _, value = line.rpartition("->")
        if form and " " not in form and form[0].isalpha():
            try:
                out[form.lower()] = float(value)
            except ValueError:
                continue
    return {w: v * TRANSLATED_WEIGHT for w, v in out.items() if abs(v) >= MIN_TRANSLATED_VALENCE and w not in STOP_WORDS}


VALENCES_KEPT = 200_000  # remembered valences per language, forgotten all at once beyond (a long-running process)
_UNKNOWN = object()


class _Language:
    def __init__(self, lang: str):
        self.lang = lang
        self.stem = stem_function(lang)
        # (word, name-like, quoted) → `valence`: a text's words repeat, and one dict lookup replaces the five behind a
        # valence (reporting words, exact forms, stems, boosters, the general lexicon)
        self.valences: dict[tuple[str, bool, bool], float | None] = {}
        self.words, self.phrases, self.hedges, self.forms = _read_domain(lang)
        self.general = _read_general(lang)
        w = _LANG_WORDS[lang]
        self.negators = w["negators"]
        self.absorbers = w["absorbers"]
        self.failures, self.failure_link = w["failures"], w["failure_link"]
        self.intensifiers, self.diminishers = w["intensifiers"], w["diminishers"]
        self.adversatives, self.concessives = w["adversatives"], w["concessives"]
        self.adversative_phrases = w["adversative_phrases"]
        self.concessive_phrases = w["concessive_phrases"]
        self.clause_negators = w["clause_negators"]
        self.so_called = w["so_called"]
        self.so_called_firsts = {p[0] for p in self.so_called}
        self.naming, self.doubt = w["naming"], w["doubt"]
        self.claims = w["claims"]
        self.decrease_verbs, self.decrease_nouns = w["decrease_verbs"], w["decrease_nouns"]
        self.decrease_alone = w["decrease_intransitive"]
        self.increase_verbs, self.increase_nouns = w["increase_verbs"], w["increase_nouns"]
        self.increase_alone = w["increase_intransitive"]
        self.change_links, self.measure_links = w["change_links"], w["measure_links"]
        self.possessives = w["possessives"]
        self.change_words = (self.decrease_verbs | self.decrease_nouns | self.decrease_alone | self.increase_verbs
                             | self.increase_nouns | self.increase_alone)
        self.reporting = w["reporting"]
        self.claim_stems = {_stem(c, lang) for c in self.claims}
        self.hedge_firsts = {h[0] for h in self.hedges}
        # first token → (kind, phrase): one dict lookup per token instead of scanning every phrase list
        self.markers: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        for kind, phrases in (
            ("clause_negator", self.clause_negators),
            ("adversative", [(w,) for w in self.adversatives] + self.adversative_phrases),
            ("concessive", [(w,) for w in self.concessives] + self.concessive_phrases),
        ):
            for phrase in phrases:
                self.markers.setdefault(phrase[0], []).append((kind, tuple(phrase)))
        for entries in self.markers.values():
            entries.sort(key=lambda e: -len(e[1]))

    def valence(self, tok: str, name_like: bool = False, quoted: bool = False, stem: str | None = None) -> float | None:
        """`stem`: the token's stem when the caller has it already."""
        if tok in self.reporting:
            return None  # "promises" shares its stem with "promising", but reporting a claim judges nothing
        if tok in self.forms:
            if not self.forms[tok] and quoted:
                # plain vocabulary in scare quotes is someone's claim again (« le logiciel « libre » »): its praise,
                # which the caller turns into irony
                return self.general.get(tok)
            return self.forms[tok] or None
        if stem is None:
            stem = self.stem(tok)
        if stem in self.words:
            return self.words[stem]
        if name_like or tok in self.intensifiers or tok in self.diminishers:
            return None  # names ("Amazon") and boosters ("truly") carry no polarity of their own
        v = self.general.get(tok)
        if v is None and self.lang == "fr":
            # a plural's singular; not for short words (« nos » is not a plural of the English "no")
            v = self.general.get(tok.rstrip("s")) if tok.endswith("s") and len(tok) > 3 else None
        return v


@lru_cache(maxsize=2)
def _language(lang: str) -> _Language:
    return _Language(lang if lang in _LANG_WORDS else "en")


def _starts_with(tokens: list[str], i: int, phrase: tuple[str, ...]) -> bool:
    return tuple(tokens[i:i + len(phrase)]) == phrase


def _scare_quoted(tokens: list[str], L: _Language, name_like: list[bool] | None = None) -> set[int]:
    """Positions inside short quotes of common words (scare quotes), or after "so-called". A quotation introduced
    by a colon, or one holding a name (« Mistral AI restera européenne »), reports someone's words: not irony."""
    inside: set[int] = set()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok in _QUOTES_OPEN:
            j = i + 1
            while j < len(tokens) and j - i <= 5 and tokens[j] not in _QUOTES_CLOSE:
                j += 1
            span = list(range(i + 1, j))
            if (j < len(tokens) and 1 <= len(span) <= 4 and i > 0 and tokens[i - 1] not in L.naming
                    and tokens[i - 1] != ":"
                    and not (name_like and any(name_like[k] and len(tokens[k]) > 3 for k in span))
                    and all(tokens[k] not in _CLAUSE_BREAKS for k in span)):
                inside.update(span)
                i = j + 1
                continue
        if tok in L.so_called_firsts:
            for phrase in L.so_called:
                if _starts_with(tokens, i, phrase):
                    inside.update(range(i + len(phrase), min(i + len(phrase) + 4, len(tokens))))
        i += 1
    return inside


_PERCENT = re.compile(r"^(\d+(?:[.,]\d+)?)\s?%$")


def _size_of_move(tokens: list[str], after: int) -> float:
    """A market word followed by its size: "en hausse de 2 %" reports, "a bondi de 12 %" judges."""
    for k in range(after, min(after + 4, len(tokens))):
        if tokens[k] in _CLAUSE_BREAKS:
            break
        m = _PERCENT.match(tokens[k])
        if m:
            size = float(m.group(1).replace(",", "."))
            return 0.35 if size < 3 else 0.8 if size < 5 else 1.2
    return 1.0


def _record(signals: dict[str, float], value: float, *, negated: bool, quoted: bool, weight: float,
            domain: bool, shifted: bool = False) -> None:
    """Sum one word's contribution under the rule that shaped it: the model weighs each rule from data."""
    side = "pos" if value > 0 else "neg"
    keys = [side, f"{'domain' if domain else 'general'}_{side}"]
    if shifted:
        keys.append(f"shifted_{side}")
    if negated:
        keys.append(f"negated_{side}")
    if quoted:
        keys.append(f"quoted_{side}")
    if weight < 1.0:
        keys.append(f"conceded_{side}")
    elif weight > 1.0:
        keys.append(f"contrasted_{side}")
    for key in keys:
        signals[key] = signals.get(key, 0.0) + value


class LexiconScorer:
    """Offline, fast, explainable: the default `SentenceScorer`."""

    name = "lexicon"

    def score(self, sentences: list[str], lang: str) -> list[float]:
        L = _language(lang)
        return [self.score_one(s, L) for s in sentences]

    def score_with_signals(self, sentences: list[str], lang: str) -> list[tuple[float, dict[str, float]]]:
        """Scores plus what each rule contributed (the trained tone model learns how much to trust each)."""
        L = _language(lang)
        out = []
        for sentence in sentences:
            signals: dict[str, float] = {}
            out.append((self.score_one(sentence, L, signals), signals))
        return out

    def score_one(self, sentence: str, L: _Language, signals: dict[str, float] | None = None) -> float:
        tokens, caps = tokenize_with_case(sentence)
        if not tokens:
            return 0.0
        total = self._sum(tokens, caps, L, signals)
        return total / math.sqrt(total * total + ALPHA)

    def _sum(self, tokens: list[str], caps: list[bool], L: _Language, signals: dict[str, float] | None = None) -> float:
        n = len(tokens)
        # A capitalised word is a name unless it opens the sentence and a lower-case word follows.
        name_like = [c and not (i == 0 and i + 1 < n and not caps[i + 1]) for i, c in enumerate(caps)]
        stems = list(map(L.stem, tokens))
        weights = [1.0] * n
        flipped_from = n  # clause negators ("far from", "loin de") flip the rest of their clause
        flip_until = n
        skip: set[int] = set()
        hedged = False
        markers = L.markers
        for i, tok in enumerate(tokens):
            if tok in markers:
                for kind, phrase in markers[tok]:
                    if len(phrase) > 1 and tuple(tokens[i:i + len(phrase)]) != phrase:
                        continue
                    if kind == "adversative" and i > 0:
                        for k in range(i):
                            weights[k] *= 0.5
                        for k in range(i, n):
                            weights[k] *= 1.5
                    elif kind == "concessive":
                        end = next((k for k in range(i + 1, n) if tokens[k] in {",", ";", ":"}), n)
                        for k in range(i, end):
                            weights[k] *= 0.4
                        for k in list(range(0, i)) + list(range(end, n)):
                            weights[k] *= 1.3
                    elif kind == "clause_negator" and flipped_from == n:
                        skip.update(range(i, i + len(phrase)))
                        flipped_from = i + len(phrase)
                        flip_until = next((k for k in range(flipped_from, n) if tokens[k] in {",", ";", ".", "?", "!"}), n)
                    break
            if not hedged and stems[i] in L.hedge_firsts:
                for hedge in L.hedges:
                    if tuple(stems[i:i + len(hedge)]) == hedge:
                        hedged = True
        quoted = _scare_quoted(tokens, L, name_like)
        shifted, yielded = _changes(tokens, name_like, L)
        valences = L.valences
        total = 0.0
        i = 0
        while i < n:
            tok = tokens[i]
            if tok in _CLAUSE_BREAKS or tok in _QUOTES_OPEN or tok in _QUOTES_CLOSE or i in skip:
                i += 1
                continue
            valence = None
            width = 1
            for stems_seq, v in L.phrases.get(stems[i], ()):
                matched = phrase_width(stems, i, stems_seq)
                if matched:
                    valence, width = v, matched
                    break
            if valence is None:
                if i in yielded:  # a word of change gives way to what it changes
                    i += 1
                    continue
                key = (tok, name_like[i], i in quoted)
                valence = valences.get(key, _UNKNOWN)
                if valence is _UNKNOWN:
                    if len(valences) >= VALENCES_KEPT:
                        valences.clear()
                    valence = valences[key] = L.valence(tok, name_like[i], quoted=i in quoted, stem=stems[i])
                if valence and i and tokens[i - 1] in L.possessives and tok in _OWN:
                    valence = None
            # Someone else's criticism in quotation marks stays criticism, but the author can deny it
            # (« n'« assèche » pas ») or put it in question (« une « coquille vide » ? »); quoted praise is irony.
            quoted_criticism = i in quoted and bool(valence) and valence < 0
            if i in quoted:
                if stems[i] in L.claim_stems:
                    valence = -1.5
                elif valence and valence > 0:
                    valence = -valence
                elif quoted_criticism and tokens[-1] == "?":
                    valence = 0.0
            if not valence:
                i += width
                continue
            valence *= self._modifier(tokens, i, L) * _size_of_move(tokens, i + width) * shifted.get(i, 1.0)
            negated = flipped_from <= i < flip_until or (
                (i not in quoted or quoted_criticism) and self._negated(tokens, stems, i, L))
            if negated:
                valence *= NEGATION_FLIP
            total += valence * weights[i]
            if signals is not None:
                _record(signals, valence * weights[i], negated=negated, quoted=i in quoted, weight=weights[i],
                        domain=stems[i] in L.words or width > 1, shifted=i in shifted)
            i += width
        if tokens[-1] == "?" and any(t in L.doubt for t in tokens):
            total -= 1.5
            if signals is not None:
                signals["doubt"] = 1.0
        if hedged:
            total *= HEDGE_FACTOR
            if signals is not None:
                signals["hedged"] = 1.0
        return total

    @staticmethod
    def _modifier(tokens: list[str], i: int, L: _Language) -> float:
        factor = 1.0
        for k in (i - 1, i - 2):
            if k < 0 or tokens[k] in _CLAUSE_BREAKS:
                break
            if tokens[k] in L.intensifiers:
                factor *= 1.3
            elif tokens[k] in L.diminishers:
                factor *= 0.5
        return factor

    @staticmethod
    def _negated(tokens: list[str], stems: list[str], i: int, L: _Language) -> bool:
        window = 4 if L.lang == "fr" else 3
        negated = False
        privative = False  # "without" / « sans » already seen, nearer the word
        for k in range(i - 1, max(i - 2 - window, -1), -1):
            tok = tokens[k]
            if tok in _CLAUSE_BREAKS or tok in L.adversatives:
                break
            if tok in L.failures and k + 1 < i and tokens[k + 1] in L.failure_link:
                # "struggles to win": negated, unless the failure itself is ("did not fail to impress")
                return not any(t in L.negators for t in tokens[max(k - window, 0):k])
            if tok.startswith(L.absorbers):
                return False  # « ne cachent pas leur satisfaction »: the negation bears on the verb
            if tok in L.negators and k >= i - window and not _not_a_negation(tokens, k, i, L):
                if privative and tok not in _PRIVATIVE:
                    return False  # "not without merit", « pas sans intérêt »: two negations cancel
                negated = True
                privative = privative or tok in _PRIVATIVE
        return negated


CHANGE_WINDOW = 4  # tokens a verb of change reaches forward (its object), 2 after a noun's "of"; 3 backward


def _is_number(tok: str) -> bool:
    return tok[:1].isdigit()


def _changes(tokens: list[str], name_like: list[bool], L: _Language) -> tuple[dict[int, float], set[int]]:
    """What words of change do to the words they change: positions whose valence is reversed (less of something
    bad, or of something good) and the words of change that give way because what they change carries the tone
    ("reduces our dependence", « hausse du chômage », "losses narrowed", "risks increase")."""
    shifted: dict[int, float] = {}
    yielded: set[int] = set()
    if L.change_words.isdisjoint(tokens):
        return shifted, yielded
    n = len(tokens)

    def valued(positions: range) -> list[int]:
        """The valued words among `positions`, up to the clause's end or the next word of change."""
        found = []
        for k in positions:
            tok = tokens[k]
            if tok in _CLAUSE_BREAKS or tok in L.adversatives or tok in L.change_words:
                break
            if not name_like[k] and L.valence(tok, False):
                found.append(k)
        return found

    def forward(start: int, reach: int = CHANGE_WINDOW) -> list[int]:
        return valued(range(start, min(start + reach, n)))

    def backward(end: int) -> list[int]:
        return valued(range(end - 1, max(end - 1 - 3, -1), -1))

    for k, tok in enumerate(tokens):
        if tok not in L.change_words:
            continue
        nxt = tokens[k + 1] if k + 1 < n else "."
        alone = (nxt in _CLAUSE_BREAKS or _is_number(nxt)
                 or (nxt in L.measure_links and k + 2 < n and _is_number(tokens[k + 2])))
        targets: list[int] = []
        if nxt in L.change_links and (tok in L.decrease_nouns or tok in L.increase_nouns):
            targets = forward(k + 2, 2)[:1]  # "the drop in profits": not the verb that follows
        elif tok in L.decrease_verbs or tok in L.increase_verbs:
            targets = backward(k) if alone else forward(k + 1)
        elif alone and (tok in L.decrease_alone or tok in L.increase_alone):
            targets = backward(k)
        if not targets:
            continue
        yielded.add(k)
        if tok in L.decrease_verbs or tok in L.decrease_nouns or tok in L.decrease_alone:
            for t in targets:
                shifted[t] = NEGATION_FLIP
    return shifted, yielded


_OWN = {"propre", "propres"}
_RESTRICTIVE = {"que", "qu'"}
_PRIVATIVE = {"without", "sans"}
_FULL_NEGATORS_FR = {"pas", "jamais", "aucun", "aucune", "rien", "personne", "guère", "nullement", "point"}


def _not_a_negation(tokens: list[str], k: int, i: int, L: _Language) -> bool:
    """French negators that do not negate: « ne … que » means "only" (« n'est qu'une illusion » is an illusion),
    and « que jamais » is a comparison (« plus forte que jamais » is as strong as ever)."""
    if L.lang != "fr":
        return False
    tok = tokens[k]
    if tok in ("ne", "n'"):
        between = tokens[k + 1:i]
        return any(t in _RESTRICTIVE for t in between) and not any(t in _FULL_NEGATORS_FR for t in between)
    return tok == "jamais" and k > 0 and tokens[k - 1] in _RESTRICTIVE
