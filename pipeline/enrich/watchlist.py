"""Company watchlist: config/watchlist.yaml and the linker that finds watched companies in a text.

Substring search is not enough for press text: "AWS" sits inside "lawyers", "mistral" is also a wind and
"Thales" a philosopher. Aliases therefore match on token boundaries, with case rules, and the ambiguous ones
need evidence (an unambiguous mention, spaCy's label, or context words) before they count.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from pipeline.configfiles import load_model, shown_value
from pipeline.settings import DEFAULT_CONFIG_DIR

WATCHLIST_FILE = "watchlist.yaml"
_WORD = r"[^\W_]"  # a letter or digit, any script
# Words found in most articles about AI and digital sovereignty: next to a town, a warship or a film they vouch for
# no company (« le réseau d'irrigation » of Orange, « le groupe amphibie » of the Mistral, "AI tools" near "Dust").
GENERIC_CONTEXT = frozenset(w.casefold() for w in (
    "groupe", "group", "réseau", "network", "company", "société", "entreprise", "firme", "firm", "shares", "share",
    "action", "actions", "titre", "IA", "AI", "cloud", "services", "service", "IT", "informatique", "contrat",
    "contrats", "contract", "contracts", "partenaire", "partenaires", "partner", "partners", "modèle", "modèles",
    "model", "models", "géant", "giant", "compute"))


# A company's own accounts and officers: next to an ambiguous name in the same or a neighbouring sentence, they say a
# company is meant (« le chiffre d'affaires d'Orange », "Atos bondholders"), where a town, a wind or a fruit has none.
CORPORATE_CONTEXT = (
    "chiffre d'affaires", "revenue", "revenues", "EBITDA", "Ebitda", "Ebitdaal", "bénéfice net", "net profit",
    "net income", "résultat net", "résultats trimestriels", "résultats annuels", "quarterly results",
    "quarterly earnings", "earnings", "dividende", "dividend", "actionnaires", "shareholders", "obligataires",
    "bondholders", "capitalisation boursière", "market capitalisation", "market capitalization", "market cap",
    "PDG", "CEO", "directeur général", "directrice générale", "chief executive", "conseil d'administration",
    "board of directors", "cotée", "cours de Bourse", "share price", "stock price", "Wall Street", "Nasdaq",
    "CAC 40", "SBF 120",
    # its subsidiaries, investors and customers (seventh session, 2026-12-05: « sa filiale Orange Studio », "Orange
    # presented its AI plan to investors", « l'enjeu pour Orange est de fidéliser ses clients »)
    "filiale", "filiales", "subsidiary", "subsidiaries", "investisseurs", "investors", "clients", "customers")


class Company(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key must not be silently ignored

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)  # case-insensitive, but the match must hold a capital letter
    exact: list[str] = Field(default_factory=list)  # must match exactly as written
    ambiguous: list[str] = Field(default_factory=list)  # also ordinary words or other names: need evidence
    references: list[str] = Field(default_factory=list)  # descriptions standing for the company
    context: list[str] = Field(default_factory=list)  # words that vouch for an ambiguous alias nearby
    avoid: list[str] = Field(default_factory=list)  # words that rule an ambiguous alias out nearby
    wikidata: str | None = Field(default=None, pattern=r"^Q\d+$")
    ticker: str | None = None
    country: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    sector: str | None = None
    # the names its articles were stored under before a rename ("Atos" for Eviden): every query reads them too
    former_names: list[str] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _a_name(cls, value: str) -> str:
        """Shown and stored as the company: a blank one was listed as `'   '` in every matching article."""
        if not re.search(_WORD, value):
            raise ValueError(f"{shown_value(value)} has no letter or digit: give the company's name")
        return value.strip()

    @field_validator("aliases", "exact", "ambiguous", "references", "context", "avoid", "former_names")
    @classmethod
    def _no_blank(cls, values: list[str]) -> list[str]:
        if any(not str(v).strip() for v in values):
            raise ValueError("contains an empty name")
        return [str(v).strip() for v in values]

    @field_validator("context")
    @classmethod
    def _specific(cls, values: list[str]) -> list[str]:
        generic = [v for v in values if v.casefold() in GENERIC_CONTEXT]
        if generic:
            raise ValueError(f"{shown_value(generic[0])} is in most articles of this domain and vouches for no company; "
                             "use words specific to this one (its products, people, trade)")
        return values

    @field_validator("aliases", "exact", "ambiguous", "references")
    @classmethod
    def _can_match(cls, values: list[str], info) -> list[str]:
        """A form that can never match ('!!!', '.*': aliases match words, never patterns) is a company silently
        never found; a one-character alias ('A') is found in nearly every article."""
        for value in values:
            if not re.search(_WORD, value):
                raise ValueError(f"{shown_value(value)} has no letter or digit: it can never match (forms are words, not "
                                 "patterns)")
            if len(value) == 1 and info.field_name != "ambiguous":
                raise ValueError(f"{shown_value(value)} is one character: it would match in nearly every article; list it "
                                 "under `ambiguous:` with `context:` words, or give a longer form")
        return values

    @model_validator(mode="after")
    def _has_a_name(self) -> "Company":
        if not (self.aliases or self.exact or self.ambiguous):
            raise ValueError("needs at least one of aliases, exact or ambiguous")
        return self


class Watchlist(BaseModel):
    model_config = ConfigDict(extra="forbid")

    companies: list[Company] = Field(min_length=1)
    _path: Path | None = PrivateAttr(default=None)  # the file it was read from, for error messages

    @model_validator(mode="after")
    def _unique(self) -> "Watchlist":
        seen: dict[str, tuple[str, int]] = {}
        names: dict[str, int] = {}
        for index, company in enumerate(self.companies):
            if company.name.casefold() in names:
                raise ValueError(f"two companies are named {company.name!r} (entries #{names[company.name.casefold()] + 1}"
                                 f" and #{index + 1})")
            names[company.name.casefold()] = index
            for alias in [company.name, *company.aliases, *company.exact]:
                key = alias.casefold()
                other, where = seen.get(key, (company.name, index))
                if other != company.name:
                    raise ValueError(f"alias {shown_value(alias)} is used by both {other!r} (entry #{where + 1}) and "
                                     f"{company.name!r} (entry #{index + 1})")
                seen[key] = (company.name, index)
        formers: dict[str, tuple[str, int]] = {}
        for index, company in enumerate(self.companies):  # once every company's own names are known
            for former in company.former_names:
                other, where = seen.get(former.casefold()) or formers.get(former.casefold(), (company.name, index))
                if former.casefold() == company.name.casefold() or other != company.name:
                    whose = "its own name" if other == company.name else f"a name of {other!r} (entry #{where + 1})"
                    raise ValueError(f"former name {shown_value(former)} of {company.name!r} (entry #{index + 1}) is "
                                     f"{whose}: a former name is the one its articles were stored under before a "
                                     "rename, and no other company's")
                formers[former.casefold()] = (company.name, index)
        return self

    def get(self, name: str) -> Company | None:
        key = name.casefold()
        return next((c for c in self.companies if c.name.casefold() == key), None)


@dataclass(frozen=True)
class Mention:
    company: str
    start: int
    end: int
    text: str
    kind: str  # "alias", "ambiguous" or "reference"


def watchlist_path(config_dir: Path | None = None) -> Path:
    if config_dir is None:
        from pipeline.settings import load_settings

        config_dir = load_settings().config_dir
    return Path(config_dir or DEFAULT_CONFIG_DIR) / WATCHLIST_FILE


def load_watchlist(path: Path | str | None = None) -> Watchlist:
    """Validated watchlist; a ConfigError names the file, the company entry and the field at fault."""
    path = Path(path) if path else watchlist_path()
    return _load_cached(path.resolve(), path.stat().st_mtime_ns if path.exists() else 0)


@lru_cache(maxsize=4)
def _load_cached(path: Path, _mtime: int) -> Watchlist:
    watchlist = load_model(path, Watchlist, list_key="companies")
    watchlist._path = path
    return watchlist


def company_names(watchlist: Watchlist) -> dict[str, str]:
    """Case-folded name, alias (aliases, exact and ambiguous forms) or stock ticker → canonical company name.

    The ticker is a name analysts type (`--company AAPL`, `company:PLTR`) and one the linker reads in articles
    ("AAPL gained 1.2%"): it was refused as "not a watched company"; a form of another company keeps that company."""
    names: dict[str, str] = {}
    for company in watchlist.companies:
        names[company.name.casefold()] = company.name
    for company in watchlist.companies:
        for alias in [*company.aliases, *company.exact, *company.ambiguous]:
            names.setdefault(alias.casefold(), company.name)
    for company in watchlist.companies:
        if company.ticker and company.ticker.strip():
            names.setdefault(company.ticker.strip().casefold(), company.name)
    for company in watchlist.companies:  # `--company Atos` after Atos became Eviden: the company it now is
        for former in company.former_names:
            names.setdefault(former.casefold(), company.name)
    return names


_OPENING_QUOTES, _CLOSING_QUOTES = "\"'“‘«„", "\"'”’»“"


def _unquoted(name: str) -> str:
    """A name without the quotes around it (`"Mistral AI"`, `« Nvidia »`, `'ovh'`, as a script, a spreadsheet cell or
    a copied headline gives it): `--company '"Mistral AI"'` and `company:'Nvidia'` were "not a watched company"."""
    while len(name) > 2 and name[0] in _OPENING_QUOTES and name[-1] in _CLOSING_QUOTES:
        name = name[1:-1].strip()
    return name


def resolve_company(name: str, watchlist: Watchlist | None = None) -> str:
    """The canonical watched company for a name as people type it ("Mistral", "ovh", "AWS", "nvidia", "Mistral AI's").

    Case-insensitive over names and aliases. An unknown name raises NewsroomError (non-zero exit) naming the
    closest watched companies, instead of an empty result that looks like "no coverage".
    """
    from difflib import get_close_matches

    from pipeline.errors import NewsroomError

    watchlist = watchlist or load_watchlist()
    names = company_names(watchlist)
    from pipeline.search import as_typed, without_possessive

    # a name copied from a page: its direction marks, soft hyphens and quotes are not part of it
    key = _unquoted(" ".join(as_typed(str(name)).split())).casefold()
    if key not in names:
        # "Mistral's", `company:nvidia’s`: the company an analyst names in the possessive, as search reads the word
        key = (without_possessive(key) or key).rstrip()
    if key in names:
        # "Dassault": Dassault Aviation's ambiguous form, and a word of Dassault Systèmes' name: picking the first
        # would give one company's articles to an analyst after the other's
        others = [c.name for c in watchlist.companies if c.name != names[key] and key != names[key].casefold()
                  and any(key in form.casefold().split() for form in (c.name, *c.aliases, *c.exact, *c.ambiguous))]
        if others:
            raise NewsroomError(f"{shown_value(name)} names more than one watched company: "
                                f"{', '.join([names[key], *others[:-1]])} or {others[-1]}; give the full name.")
        return names[key]
    close = get_close_matches(key, list(names), n=8, cutoff=0.6)
    close += [k for k in names if key and len(key) >= 3 and (k.startswith(key) or key in k.split())]
    # a former name, a brand or a product the watchlist gives as the company's evidence ("Facebook", "Instagram" for
    # Meta; "iPhone" for Apple): no suggestion was made, as if the watchlist knew nothing of it
    known_by = [c.name for c in watchlist.companies
                if key in {word.casefold() for word in [*c.context, *c.references]}]
    suggestions = list(dict.fromkeys([*(known_by if len(known_by) <= 2 else []), *(names[k] for k in close)]))[:5]
    hint = f" Did you mean {', '.join(repr(s) for s in suggestions)}?" if suggestions else ""
    where = f" ({watchlist._path})" if watchlist._path else ""
    raise NewsroomError(f"{shown_value(name)} is not a watched company{where}.{hint} "
                        "`newsroom config show` gives the watchlist file in use.")


def resolve_companies(names: list[str] | None, watchlist: Watchlist | None = None) -> list[str]:
    """Each name resolved (see resolve_company), duplicates dropped, order kept. An empty name is refused: dropped,
    `search cloud --company "$COMPANY"` with the variable unset listed every company's articles, and `report
    --entity ""` reported on the most mentioned companies, as if no filter had been asked for."""
    from pipeline.errors import NewsroomError

    if not names:
        return []
    if any(not (name and name.strip()) for name in names):
        raise NewsroomError("A company name (--company, --entity) is empty: give a watched company's name or alias, "
                            "e.g. --company Mistral.")
    watchlist = watchlist or load_watchlist()
    return list(dict.fromkeys(resolve_company(n, watchlist) for n in names))


def _phrase_pattern(phrase: str) -> str:
    """A phrase ending at a word's end; `_alternation` checks that it starts at a word's start."""
    parts = [re.escape(p) for p in phrase.split()]
    body = re.sub(r"['’]", "['’]", r"\s+".join(parts))  # either apostrophe ("d'IA", « d’IA »)
    return rf"{body}(?!{_WORD})"


def _alternation(phrases: list[str]) -> str:
    # The word-start check is made once per position, not once per phrase: the same matches, and a search through
    # the ~60 corporate terms costs 0.2 ms per 2,000 characters instead of 1.6 (it runs for every ambiguous name).
    return rf"(?<!{_WORD})(?:" + "|".join(_phrase_pattern(p) for p in sorted(set(phrases), key=len, reverse=True)) + ")"


class _Terms:
    """Context/avoid words: all-capital terms (IA, AI, IT) match case-sensitively, others in any case."""

    def __init__(self, terms: list[str]):
        upper = [t for t in terms if t.isupper()]
        other = [t for t in terms if not t.isupper()]
        self.upper = re.compile(_alternation(upper)) if upper else None
        self.other = re.compile(_alternation(other), re.IGNORECASE) if other else None

    def found_in(self, text: str) -> bool:
        return bool((self.upper and self.upper.search(text)) or (self.other and self.other.search(text)))

    def covers(self, text: str, start: int, end: int) -> bool:
        """Whether a term overlaps text[start:end]: an idiom holding the name ("Big Apple", "arm's length")."""
        return any(m.start() < end and start < m.end() for pattern in (self.upper, self.other) if pattern
                   for m in pattern.finditer(text, max(0, start - 40), end + 40))

    def count_in(self, text: str) -> int:
        """How many different terms occur (case-folded): two clues outweigh one word that rules a name out."""
        found = {m.group().casefold() for pattern in (self.upper, self.other) if pattern
                 for m in pattern.finditer(text)}
        return len(found)


_TOKEN = re.compile(r"[^\W_]+")
_MAX_GAP = 3  # characters allowed between two tokens of one name ("Mistral AI", "T-Systems", "cloud d'Amazon")


def _sep(gap: str) -> str | None:
    """Canonical separator between two tokens of a name, or None when the gap cannot sit inside a name."""
    if not gap or len(gap) > _MAX_GAP or "\n" in gap:
        return None
    if gap.isspace():
        return " "
    gap = gap.replace("’", "'").strip()
    return gap if gap and not any(ch in gap for ch in ",;:!?()\"«»") else None


def _name_key(name: str) -> tuple[str, int]:
    """Tokens joined by canonical separators, and how many tokens: the same path as the text goes through."""
    tokens = list(_TOKEN.finditer(name))
    parts = [tokens[0].group()] if tokens else []
    for prev, tok in zip(tokens, tokens[1:]):
        parts.append(_sep(name[prev.end():tok.start()]) or " ")
        parts.append(tok.group())
    return "".join(parts), len(tokens)


@lru_cache(maxsize=4096)
def _openers(words: frozenset[str]) -> re.Pattern | None:
    """A pattern finding these words as whole tokens (longest first), or None when there are none."""
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<![^\W_])(?:{alternatives})(?![^\W_])")


class WatchlistLinker:
    """Finds watched companies in a text; one instance per watchlist (lookup tables built once).

    Names are looked up as token n-grams in dictionaries rather than with one big regex: press articles are
    long and the watchlist grows, and a dictionary lookup per token keeps linking far cheaper than NER.
    """

    def __init__(self, watchlist: Watchlist):
        self.watchlist = watchlist
        self._loose: dict[str, tuple[str, str]] = {}  # casefolded key → (company, kind)
        self._strict: dict[str, tuple[str, str]] = {}  # exact key → (company, kind)
        self._firsts: set[str] = set()  # casefolded first tokens of every name
        self._longest = 1
        for company in watchlist.companies:
            ambiguous = set(company.ambiguous)
            for alias in company.exact:
                self._add(self._strict, alias, alias, (company.name, "ambiguous" if alias in ambiguous else "alias"))
                if alias in ambiguous and alias.upper() != alias:  # "META", "ORACLE" in capitals: still checked
                    self._add(self._strict, alias.upper(), alias.upper(), (company.name, "ambiguous"))
            ticker = company.ticker
            if ticker and len(ticker) >= 3 and ticker.isupper() and _name_key(ticker)[0] not in self._strict:
                # "AAPL gained 1.2%": the symbol names the company; one that is also a word in capitals needs evidence
                kind = "ambiguous" if ticker.casefold() in {a.casefold() for a in ambiguous} else "alias"
                self._add(self._strict, ticker, ticker, (company.name, kind))
            for alias in [*company.aliases, *[a for a in company.ambiguous if a not in company.exact]]:
                kind = "ambiguous" if alias in ambiguous else "alias"
                self._add(self._loose, alias, alias.casefold(), (company.name, kind))
            for ref in company.references:
                self._add(self._loose, ref, ref.casefold(), (company.name, "reference"))
        self._context = {c.name: _Terms(c.context) for c in watchlist.companies if c.context}
        self._avoid = {c.name: _Terms(c.avoid) for c in watchlist.companies if c.avoid}
        self._corporate = _Terms(list(CORPORATE_CONTEXT))

    def _add(self, table: dict, name: str, folded: str, value: tuple[str, str]) -> None:
        key, size = _name_key(folded if table is self._loose else name)
        if not size:
            return
        table[key] = value
        self._firsts.add(_TOKEN.search(folded).group().casefold())
        self._longest = max(self._longest, size)

    def candidates(self, text: str) -> list[Mention]:
        # Only the tokens that can open a name are visited: the distinct words of a text are few, and finding them
        # is one C-level pass, where walking every token of a long page in Python cost 6 % of enrichment.
        openers = _openers(frozenset(t for t in set(_TOKEN.findall(text)) if t.casefold() in self._firsts))
        if openers is None:
            return []
        found: list[Mention] = []
        resume = 0
        for first in openers.finditer(text):
            if first.start() < resume:
                continue  # inside the previous mention: longest match wins, no overlaps
            best = None
            key = first.group()
            tokens = [first]
            for j in range(1, self._longest + 1):
                if j > 1:
                    following = _TOKEN.search(text, tokens[-1].end())
                    if following is None:
                        break
                    sep = _sep(text[tokens[-1].end():following.start()])
                    if sep is None:
                        break
                    tokens.append(following)
                    key = key + sep + following.group()
                hit = self._strict.get(key)
                if hit is None:
                    hit = self._loose.get(key.casefold())
                    if hit is not None and hit[1] != "reference" and not any(ch.isupper() for ch in first.group()):
                        # "mistral" the wind, "orange" the colour; a name of several words needs its capital in
                        # the first: "to open AI and quantum centre" is a verb and a noun, not "Open AI"
                        hit = None
                if hit is not None:
                    best = (tokens[-1], hit)
            if best is None:
                continue
            last, (company, kind) = best
            start, end = first.start(), last.end()
            found.append(Mention(company, start, end, text[start:end], kind))
            resume = end
        return found

    def link(
        self,
        text: str,
        sentences: list[tuple[int, int]] | None = None,
        entities: list[tuple[int, int, str]] | None = None,
    ) -> list[Mention]:
        """Mentions of watched companies that hold up; `entities` are NER spans (start, end, PER/ORG/LOC/MISC)."""
        candidates = self.candidates(text)
        sure = {m.company for m in candidates if m.kind != "ambiguous"}
        sentences = sentences or [(0, len(text))]
        entities = entities or []
        found = (candidates, [m.start for m in candidates], [s for s, _ in sentences])
        accepted = []
        for mention in candidates:
            if mention.kind == "ambiguous" and mention.company not in sure:
                if not self._holds(mention, text, sentences, entities, found):
                    continue
            accepted.append(mention)
        return accepted

    def _holds(self, mention: Mention, text: str, sentences, entities, found) -> bool:
        """Whether an ambiguous form names the company: evidence specific to it, never the words every article of
        this domain holds (see GENERIC_CONTEXT), and never spaCy's label on a longer name or on a town's name. Words
        that rule the name out (a wind, a fruit, a town's landmarks) win unless more clues than they are speak for
        the company (« une rafale d'annonces » beside « Le Chat » and « licorne »)."""
        candidates, starts, sentence_starts = found
        index = _sentence_of(mention.start, sentences, sentence_starts)
        lo = max(sentences[max(index - 1, 0)][0], mention.start - EVIDENCE_REACH)
        hi = min(sentences[min(index + 1, len(sentences) - 1)][1], mention.end + EVIDENCE_REACH)
        own = [(s, e, label) for s, e, label in entities if s < mention.end and mention.start < e]
        labels = {label for _, _, label in own}
        if self._inside_a_person(mention, text, own):  # "Fiona Apple", « Frédéric Mistral »
            return False
        avoid = self._avoid.get(mention.company)
        if avoid and avoid.covers(text, mention.start, mention.end):  # an idiom holding the name: "Big Apple"
            return False
        avoided = avoid.count_in(text[lo:hi]) if avoid else 0
        around = text[lo:mention.start] + " " + text[mention.end:hi]
        clues = self._clues(mention.company, around) + _acts(text, mention)
        start, end = sentences[index]
        start, end = max(start, mention.start - EVIDENCE_REACH), min(end, mention.end + EVIDENCE_REACH)
        if not ("LOC" in labels and _is_town(mention.text)):  # "Capgemini and Atos", « Orange, OVHcloud et … »
            others = [m for m in _within(candidates, starts, start, end) if m.company != mention.company]
            if "LOC" in labels:  # spaCy read a place: only a company listed beside it (« entre Thales et Eviden »)
                others = [m for m in others if abs(m.start - mention.start) <= _BESIDE]
            clues += any(m.kind != "ambiguous" for m in others)
            if not avoided and any(m.kind == "ambiguous" for m in others):  # "Apple and Meta", "Atos and Thales"
                return True
        elif not _LOCATIVE.search(text[max(start, mention.start - _LOCATIVE_REACH):mention.start].replace("’", "'")):
            # a town's name the press introduces as a place (« à Orange », "in Orange", « près d'Orange »); without
            # that, a watched company acting in the same sentence speaks for the company (mini news sites audit,
            # seventh round R6: « Orange y a ouvert un laboratoire …, et Capgemini emploie 800 personnes »), and so
            # does one listed beside it even when its own name is ambiguous too: « Thales et Orange ont inauguré … »
            # (fourteenth round; the town branch had counted only names that are never ordinary words)
            others = [m for m in _within(candidates, starts, start, end) if m.company != mention.company]
            clues += any(m.kind != "ambiguous" or abs(m.start - mention.start) <= _BESIDE for m in others)
        if clues > avoided:
            return True
        if not avoided and self._employer(text, mention):
            return True
        if avoided or "ORG" not in labels or labels & {"PER", "LOC"}:
            return False
        # the ORG span must be this name, not a longer one holding it (« la cave coopérative d'Orange », "The Big
        # Apple"), and the name must not also be a town the press writes about (Orange, Vaucluse or California)
        if any(label == "ORG" and not _ARTICLE_ONLY.match(text[s:mention.start]) for s, _, label in own):
            return False
        return not _is_town(mention.text)

    @staticmethod
    def _employer(text: str, mention: Mention) -> bool:
        """The name is someone's employer: "working for Atos", "staff at Atos", « les salariés d'Atos », "Atos's
        employees" (a musketeer, a horse or a town has no staff: twelfth round R12-5, where a union's release about
        Atos job cuts gave "Atos" as a person and no company)."""
        before = text[max(0, mention.start - _EMPLOYER_REACH):mention.start].replace("’", "'")
        after = text[mention.end:mention.end + _EMPLOYER_REACH].replace("’", "'")
        return bool(_EMPLOYED_BY.search(before) or _ITS_STAFF.match(after))

    def _clues(self, company: str, text: str) -> int:
        context = self._context.get(company)
        return (context.count_in(text) if context else 0) + min(1, self._corporate.count_in(text))

    def vouched(self, mention: Mention, title: str, lead: str) -> bool:
        """Whether an article's lead speaks for a headline's ambiguous name more than against it (« Thales : le
        carnet de commandes au plus haut » above « Le groupe d'électronique de défense… »)."""
        avoid = self._avoid.get(mention.company)
        if avoid and avoid.found_in(title):  # "Arm's length from Washington"
            return False
        return self._clues(mention.company, lead) > (avoid.count_in(lead) if avoid else 0)

    @staticmethod
    def _inside_a_person(mention: Mention, text: str, own) -> bool:
        """The name is a person's surname: spaCy's PER span holds it after a given name."""
        from pipeline.enrich.gazetteer import is_first_name

        for s, _, label in own:
            if label == "PER" and s < mention.start:
                before = _TOKEN.findall(text[s:mention.start])
                if before and before[-1][:1].isupper() and is_first_name(before[-1]):
                    return True
        return False


# Evidence for an ambiguous name is read in its sentence and the ones around it, at most this many characters either
# side: a text that is one "sentence" (no full stop: a list, a table, "Mistral, Orange, Atos…") made each of its N names
# read the whole text, quadratic: 16,000 characters took 41 s to enrich, the 50,000 that enrichment reads about 7 min.
EVIDENCE_REACH = 1_000


def _within(candidates: list[Mention], starts: list[int], start: int, end: int) -> list[Mention]:
    """The text's candidates lying inside text[start:end], found by bisection: looking the window's names up again for
    each ambiguous name cost 3 ms a name, 9 s for the 2,857 « Orange » of 20,000 characters (hostile-input audit)."""
    return [m for m in candidates[bisect_left(starts, start):bisect_left(starts, end)] if m.end <= end]


def _sentence_of(position: int, sentences: list[tuple[int, int]], starts: list[int]) -> int:
    """The index of the sentence holding a position (0 when none does), by bisection when sentences come in order."""
    i = bisect_right(starts, position) - 1
    if i >= 0 and sentences[i][0] <= position < sentences[i][1]:
        return i
    return next((i for i, (s, e) in enumerate(sentences) if s <= position < e), 0)


_BESIDE = 40  # characters between the starts of two names listed together ("Capgemini, Sopra Steria and Atos")
# the words that make a name a place just before it: « à Orange », « près d'Orange », « autour d'Orange », "in Orange"
_LOCATIVE = re.compile(r"\b(?:à|au|aux|dans|en|vers|in|at|near|around|outside"
                       r"|(?:près|autour|aux environs|ville|commune|région) d(?:e\s+|')|(?:town|city) of\s)\s*$", re.IGNORECASE)
_LOCATIVE_REACH = 25
# An employer frame right before or after an ambiguous name (R12-5)
_EMPLOYED_BY = re.compile(
    r"\b(?:(?:work(?:s|ing|ed)?|employed)\s+(?:for|by)|(?:staff|employees?|workers?|engineers?|specialists?|executives?"
    r"|managers?|jobs?|workforce|redundancies|layoffs)\s+(?:at|of)|(?:salariée?s?|employée?s?|effectifs|personnel"
    r"|ingénieurs?|cadres?|syndicats?|suppressions? de postes?|licenciements?)\s+(?:d'|de\s+|du\s+|chez\s+)"
    r"|travaill(?:e|ent|ant|ait|aient)\s+(?:pour|chez)|employée?s?\s+par)\s*$", re.IGNORECASE)
_ITS_STAFF = re.compile(r"(?:'s?|’s?)\s+(?:staff|employees|workers|workforce|engineers|unions?)\b", re.IGNORECASE)
_EMPLOYER_REACH = 40
# A company speaks and is dealt with as people are, a town, a wind or a fruit is not: "Orange said on Friday", "Orange,
# which operates the station, said", « Orange a indiqué », « Chez Orange, on démantèle », « trois semaines de relances
# auprès d'Orange » (seventh session, 2026-12-05: 5 of the 8 missed « Orange » of the written and real-news items)
_RELATIVE_AFTER = re.compile(r",[^\S\n]*(?:which|who|qui)\b[^,.;:!?\n]{1,80},")
_DEALT_WITH_BEFORE = re.compile(r"(?<![^\W_])(?:chez|auprès[^\S\n]+(?:de[^\S\n]+|d'))$", re.IGNORECASE)


def _acts(text: str, mention: Mention) -> int:
    """1 when the text has the name speak (a verb of saying right after it, or after a relative clause between commas)
    or be dealt with (« chez », « auprès de » right before it), else 0: a clue for the company."""
    from pipeline.enrich.entities import _SAYING_AFTER

    after = text[mention.end:mention.end + 120].replace("’", "'")
    relative = _RELATIVE_AFTER.match(after)
    before = text[max(0, mention.start - _EMPLOYER_REACH):mention.start].replace("’", "'").rstrip()
    return int(bool(_SAYING_AFTER.match(after[relative.end() if relative else 0:])
                    or _DEALT_WITH_BEFORE.search(before)))


_ARTICLE_ONLY = re.compile(r"^(?:(?:the|le|la|les)\s+|l['’]\s*)?$", re.IGNORECASE)
_TOWN = 20_000  # inhabitants: the limit under which entities.py already doubts a town named like a first name


def _is_town(name: str) -> bool:
    from pipeline.enrich.gazetteer import lookup_place

    place = lookup_place(name)
    return place is not None and place.kind == "city" and place.population >= _TOWN


@lru_cache(maxsize=4)
def _linker_for(path: Path, _mtime: int) -> WatchlistLinker:
    return WatchlistLinker(_load_cached(path, _mtime))


def get_linker(path: Path | str | None = None) -> WatchlistLinker:
    path = (Path(path) if path else watchlist_path()).resolve()
    return _linker_for(path, path.stat().st_mtime_ns if path.exists() else 0)
