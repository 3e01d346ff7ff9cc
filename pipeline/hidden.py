"""What a browser does not show a reader: words a page or a feed's HTML hides with a style.

A hostile page hid spam or a fake quote inside a story (« Capgemini accusé de fraude » under a story about Mistral AI)
with an inline style or a class its own style sheet hides, and the words were stored as the story's, naming a company
and swaying its tone (hostile input, twentieth round). trafilatura drops `display:none` as written in lower case only,
and nothing when the hidden blocks hold most of the page's text. The twenty-first round found the same words hidden by
styles spelled with comments or escapes, by `scale(0)`, a transparent colour, tiny sizes, off-screen indents, by
selectors other than one class, and by the screen-reader-only classes of the sheets a page links to.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from typing import Any, NamedTuple

from lxml.etree import XPath

# An inline style that keeps a reader from seeing an element (`hidden_by_style`), read in lower case without spaces
# and `!important`
_STYLED = XPath("//body//*[@style]")
_STYLE_NOISE = re.compile(r"\s+|!important")
_CSS_SYNTAX = frozenset("{}()[];:,.#>+~*/\\\"'@ \t\n\r\f")
_CSS_ESCAPE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.DOTALL)
_STYLE_HIDES = re.compile(r"(?:^|;)(?:display:none|visibility:(?:hidden|collapse))(?:;|$)")
_NUMBER = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)"
_FONT_SIZE = re.compile(r"(?:^|;)font-size:" + _NUMBER + r"(px|pt|em|rem|%)?(?:;|$)")
_OPACITY = re.compile(r"(?:^|;)opacity:" + _NUMBER + r"(%)?(?:;|$)")
_UNREADABLE_SIZE = {"px": 1, "pt": 0.75, "em": 0.1, "rem": 0.1, "%": 10, None: 1e-9}  # under it: no letter shows
_INDENTED_AWAY = re.compile(r"(?:^|;)text-indent:-(?:\d{4,}(?:\.\d*)?px|\d{3,}(?:\.\d*)?(?:em|%))")
_NO_BOX = re.compile(r"(?:^|;)(?:max-)?(?:height|width):0(?:px|em|rem|%)?(?:;|$)")
_CLIPPED_BOX = re.compile(r"(?:^|;)overflow(?:-[xy])?:(?:hidden|clip)(?:;|$)")
_POSITIONED = re.compile(r"(?:^|;)position:(?:absolute|fixed|relative)(?:;|$)")
_OFF_SCREEN = re.compile(r"(?:^|;)(?:(?:left|top):-(?:\d{4,}(?:\.\d*)?px|\d{3,}(?:\.\d*)?em)"
                         r"|clip:rect\((?:0|1px,1px,1px,1px))")
_NO_SCALE = re.compile(r"(?:^|;)(?:transform:[^;]*?\bscale(?:x|y|3d)?\((?:[^;)]*,)?0(?:\.0*)?[,)]|scale:0(?:;|$))")
_CLIPPED_AWAY = re.compile(r"(?:^|;)clip-path:(?:circle|ellipse)\(0(?:px|%|\.0*)?(?![\d.])|(?:^|;)clip-path:inset\(50%")
_NO_COLOUR = re.compile(r"(?:^|;)color:(?:transparent|(?:rgb|hsl)a?\((?:(?:[^,;)]*,){3}|[^;)]*/)0(?:\.0*)?%?\)"
                        r"|#[0-9a-f]{3}0|#[0-9a-f]{6}00)(?:;|$)")
_COLOUR_OF = re.compile(r"(?:^|;)(color|background-color|background):([^;]+)")
_NAMED_COLOURS = {"white": "#ffffff", "black": "#000000", "rgb(255,255,255)": "#ffffff", "rgb(0,0,0)": "#000000"}
_SIZED = XPath("boolean(.//*[@class or @style])")
# The page's own style sheets for every screen, and the class names they name
_STYLE_SHEETS = XPath("//style[not(@media) or @media = 'all' or @media = 'screen']/text()", smart_strings=False)
# A declaration that may hide what a rule styles (the rule's whole body then decides, `_style_hides`): found from
# its colon, or from the property's name in a lower-case copy of the sheet (a literal first is searched quickly; a
# case-blind alternation of names cost 2 ms a page)
_HIDING_VALUE = re.compile(r":\s*(?:none|hidden|collapse|clip\b|-\d{3,}|rect\(|circle\(|ellipse\(|inset\()", re.IGNORECASE)
_HIDING_PROPERTIES = (r"opacity\s*:\s*[-+]?\.?0", r"scale(?:x|y|3d)?\s*[(:]\s*(?:[^;)]*,\s*)?[-+]?\.?0")
_HIDING_NAMED = [re.compile(pattern) for pattern in _HIDING_PROPERTIES]
_HIDING_NAMED_ANY_CASE = [re.compile(pattern, re.IGNORECASE) for pattern in _HIDING_PROPERTIES]
_ONE_CLASS = re.compile(r"\s*\.(-?[_a-zA-Z][-\w]*)\s*")
# A media block that applies on every screen (`@media screen {…}`, `@media only screen, all {…}`)
_EVERY_SCREEN = re.compile(r"@media\s+(?:only\s+)?(?:screen|all)\s*(?:,\s*(?:only\s+)?(?:screen|all)\s*)*\{", re.IGNORECASE)
_CLASSED = XPath("//body//*[@class]")
_IN_BODY = XPath("//body//*")
_NAMED = XPath("//body//*[@class or @id]")
# Selectors of type, class, id and attribute selectors and descendant or child combinators (`hiding_selectors`)
_SIMPLE = r"""(?:[#.]-?[_a-zA-Z][-\w]*|\[\s*[-\w]+\s*(?:=\s*(?:"[^"]*"|'[^']*'|[-\w]+)\s*)?\])"""
_COMPOUND = re.compile(r"([a-zA-Z][-\w]*|\*)?(" + _SIMPLE + "*)")
_SIMPLE_PART = re.compile(r"""([#.])(-?[_a-zA-Z][-\w]*)|\[\s*([-\w]+)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|([-\w]+))\s*)?\]""")
_COMBINATOR = re.compile(r"\s*>\s*|\s+")
_CSS_NAME = re.compile(r"([.#])(-?[_a-zA-Z][-\w]*)(?![-\w])|\[\s*([-\w]+)(?![-\w])")
MAX_SHEET_SELECTORS = 10_000  # other than one class
MAX_COMPOUNDS = 16  # in one selector
MAX_MATCH_STEPS = 200_000  # elements tried against a compound, for one page (about 0.2 s of CPU)
# The classes the common frameworks' sheets (Bootstrap, Tailwind, HTML5 Boilerplate, WordPress, Drupal) clip to one
# pixel, for screen readers only: a page links to those sheets rather than holding them, and words under them were
# read as the story's (hostile input, twenty-first round). On the 86 corpus pages they hold share-button labels and
# skip links, none of it in a stored text but one word.
SCREEN_READER_ONLY = frozenset({"sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text",
                                "element-invisible"})


def _without_css_comments(css: str) -> str:
    """The style sheet without its comments; an unclosed one runs to the end. One forward scan."""
    parts, done = [], 0
    while (start := css.find("/*", done)) >= 0:
        parts.append(css[done:start])
        end = css.find("*/", start + 2)
        done = len(css) if end < 0 else end + 2
    return "".join(parts) + css[done:]


class _Compound(NamedTuple):
    """One compound selector (`div#a.k[data-z]`): each part it names, all of which an element must carry."""
    tag: str | None
    classes: tuple[str, ...]
    id: str | None
    attributes: tuple[tuple[str, str | None], ...]


class _Selector(NamedTuple):
    """A selector read right to left, as browsers match one: its compounds from the subject back, and whether each
    but the subject is the next one's parent (`>`) or any ancestor (a space)."""
    compounds: tuple[_Compound, ...]
    child_of: tuple[bool, ...]


def _read_selector(selector: str) -> tuple[_Selector, list[str], list[str]] | None:
    """A selector of type, class, id and attribute (`[x]`, `[x=v]`) selectors joined by descendant or child
    combinators (`.story .x`, `div#a > span.k`, `p[data-z]`), with the names its subject (last compound) carries and
    all the names it carries (`.x`, `#a`, `[data-z`); None for any other selector (pseudo-classes, siblings…), for
    one of more than `MAX_COMPOUNDS`, and for a subject naming no class, id or attribute (`div > span`: which other
    rule shows it cannot be told)."""
    text, compounds, child_of, tokens, subject, position = selector.strip(), [], [], [], [], 0
    while True:
        compound = _COMPOUND.match(text, position)
        if compound.end() == position or len(compounds) == MAX_COMPOUNDS:
            return None
        classes, ids, attributes, subject = [], [], [], []
        for part in _SIMPLE_PART.finditer(compound.group(2)):
            if part.group(1):
                (classes if part.group(1) == "." else ids).append(part.group(2))
            else:
                attributes.append((part.group(3).lower(), next((v for v in part.group(4, 5, 6) if v is not None), None)))
            subject.append(_name_token(part.group(1) or "[", part.group(2) or part.group(3)))
        if len(set(ids)) > 1:
            return None  # matches nothing
        tag = compound.group(1).lower() if compound.group(1) and compound.group(1) != "*" else None
        compounds.append(_Compound(tag, tuple(classes), ids[0] if ids else None, tuple(attributes)))
        tokens += subject
        position = compound.end()
        if position == len(text):
            return (_Selector(tuple(reversed(compounds)), tuple(reversed(child_of))), subject, tokens) if subject \
                else None
        combinator = _COMBINATOR.match(text, position)
        if not combinator or combinator.end() == len(text):
            return None
        child_of.append(">" in combinator.group())
        position = combinator.end()


def _carries(element: Any, compound: _Compound) -> bool:
    if compound.tag and element.tag != compound.tag or compound.id and element.get("id") != compound.id:
        return False
    if compound.classes and not set(compound.classes).issubset((element.get("class") or "").split()):
        return False
    return all(element.get(name) is not None and (value is None or element.get(name) == value)
               for name, value in compound.attributes)


def _matches(element: Any, selector: _Selector, step: int, budget: list[int]) -> bool:
    """Whether the element matches the selector's compounds from `step` back, its ancestors tried in turn for a
    descendant combinator; `budget[0]` elements tried in all, for the whole page (`.a .a .a .z` over a deep nest of
    `.a`, or thousands of selectors filed under one class), then nothing more matches."""
    budget[0] -= 1
    if budget[0] < 0 or not _carries(element, selector.compounds[step]):
        return False
    if step + 1 == len(selector.compounds):
        return True
    if selector.child_of[step]:
        parent = element.getparent()
        return parent is not None and _matches(parent, selector, step + 1, budget)
    return any(_matches(ancestor, selector, step + 1, budget) for ancestor in element.iterancestors())


def _every_screen_blocks(css: str) -> list[tuple[int, int]]:
    """Where the sheet's `@media screen` and `@media all` blocks run (from after their `{` to after their `}`): rules in
    them apply to every reader on a screen, as top-level ones do. One forward scan, each brace found once."""
    blocks: list[tuple[int, int]] = []
    done, next_open, next_close = 0, -1, -1
    for at_rule in _EVERY_SCREEN.finditer(css):
        if at_rule.start() < done:
            continue  # inside a block already read
        depth, position = 1, at_rule.end()
        while depth:
            if next_open < position:
                next_open = css.find("{", position)
                next_open = len(css) if next_open < 0 else next_open
            if next_close < position:
                next_close = css.find("}", position)
                next_close = len(css) if next_close < 0 else next_close
            if next_close == len(css):
                position = len(css)
                break
            depth, position = (depth + 1, next_open + 1) if next_open < next_close else (depth - 1, next_close + 1)
        blocks.append((at_rule.end(), position))
        done = position
    return blocks


def _name_token(prefix: str, name: str) -> str:
    """A name as `hiding_selectors` counts it: `.x` and `#x` as written, an attribute's in lower case (`[data-z`)."""
    return prefix + name.lower() if prefix == "[" else prefix + name


def _inside(blocks: list[tuple[int, int]], position: int) -> bool:
    """Whether `position` falls in one of the sorted, disjoint `blocks`."""
    found = bisect.bisect_right(blocks, (position, float("inf"))) - 1
    return found >= 0 and blocks[found][0] <= position < blocks[found][1]


@functools.lru_cache(maxsize=8)
def hiding_selectors(css: str) -> tuple[frozenset[str], dict[str, list[_Selector]]]:
    """What a style sheet hides with a rule of its own (`.promo-x { display: none }`, `.story .x, #a9 { visibility:
    hidden }`, at its top level) and whose subject's names it names nowhere else: a class shown again by another rule,
    a media query or a state (`.tab.active`, `.open .menu`) may be shown to a reader. The classes hidden by a selector of
    one class, and the other selectors `_read_selector` reads (at most `MAX_SHEET_SELECTORS`), filed under a name
    their subject carries. Only the rules holding such a declaration are read, the braces before each counted from the
    previous one: linear in the sheet's length. A compound or descendant selector hid « Capgemini accused of fraud »
    where a single class could not (hostile input, twenty-first round)."""
    css = _css_unescaped(_without_css_comments(css), structure=False)
    hiding: Counter = Counter()
    single: list[str] = []
    other: list[tuple[_Selector, list[str]]] = []
    depth, counted, rule_end = 0, 0, 0
    screens = _every_screen_blocks(css) if "@" in css else []
    lowered = css.lower()
    lowered = lowered if len(lowered) == len(css) else None  # the same positions (« İ » lowers to two characters)
    starts = [match.start() for match in _HIDING_VALUE.finditer(css)]
    for pattern, any_case in zip(_HIDING_NAMED, _HIDING_NAMED_ANY_CASE):
        starts += [match.start() for match in (pattern.finditer(lowered) if lowered else any_case.finditer(css))]
    for start in sorted(starts):
        if start < rule_end:
            continue  # in the rule read last
        opening = css.rfind("{", counted, start)
        if opening < 0:
            continue  # in no rule
        depth = max(0, depth + css.count("{", counted, opening) - css.count("}", counted, opening))
        rule_end = css.find("}", opening)
        rule_end = len(css) if rule_end < 0 else rule_end
        body = css[opening + 1:rule_end]
        begins = max(css.rfind("}", counted, opening), css.rfind(";", counted, opening), css.rfind("{", counted, opening))
        counted = opening
        on_every_screen = depth == 1 and screens and _inside(screens, opening)
        if depth and not on_every_screen or "{" in body or not _style_hides(_declarations(body)):
            continue  # inside an at-rule's block (@media print, @supports), or holding rules: for some readers only
        for selector in css[begins + 1:opening].split(","):
            if one_class := _ONE_CLASS.fullmatch(selector):
                single.append(one_class.group(1))
                hiding["." + one_class.group(1)] += 1
            elif len(other) < MAX_SHEET_SELECTORS and (read := _read_selector(selector)):
                other.append((read[0], read[1]))
                hiding.update(read[2])
    if not hiding:
        return frozenset(), {}
    subjects = {"." + name for name in single}.union(*(subject for _, subject in other))
    named: Counter = Counter()
    if len(subjects) <= 256:  # 32 names looked for in a pass: quicker than reading every name a 1 MB sheet holds
        for prefix, pattern in ((".", r"\."), ("#", "#"), ("[", r"\[\s*")):  # a literal first: searched quickly
            names = sorted(token[1:] for token in subjects if token[0] == prefix)
            for group in range(0, len(names), 32):
                alternatives = "|".join(map(re.escape, names[group:group + 32]))
                named.update(_name_token(prefix, name)
                             for name in re.findall(pattern + "(" + alternatives + r")(?![-\w])", css))
    else:
        named.update(_name_token(match.group(1) or "[", match.group(2) or match.group(3))
                     for match in _CSS_NAME.finditer(css))
    shown_elsewhere = {token for token in subjects if named[token] != hiding[token]}
    by_name: dict[str, list[_Selector]] = {}
    for selector, subject in other:
        if shown_elsewhere.isdisjoint(subject):
            by_name.setdefault(subject[0], []).append(selector)  # an element must carry it to match
    return frozenset(name for name in single if "." + name not in shown_elsewhere), by_name


def sheet_hidden(tree: Any) -> list[Any]:
    """The elements the page's own style sheets for every screen hide (`hiding_selectors`), and those of the classes
    the frameworks' sheets a page links to hide from the screen (`SCREEN_READER_ONLY`). The sheets are read once for
    the headline's words and once for the story's (`hiding_selectors` keeps the last sheets read); the page's
    elements are walked once, each tested against the selectors filed under a name it carries, right to left, as
    browsers match them (an XPath for each of 1,000 selectors cost 1.7 s of CPU a page)."""
    sheets = _STYLE_SHEETS(tree)
    classes, by_name = hiding_selectors("\n".join(sheets)) if sheets else (frozenset(), {})
    classes = classes | SCREEN_READER_ONLY
    if not by_name:
        return [element for element in _CLASSED(tree) if not classes.isdisjoint(element.get("class").split())]
    hidden, attribute_names, budget = [], {name[1:] for name in by_name if name[0] == "["}, [MAX_MATCH_STEPS]
    for element in (_IN_BODY if attribute_names else _NAMED)(tree):
        names = (element.get("class") or "").split()
        if not classes.isdisjoint(names):
            hidden.append(element)
            continue
        keys = ["." + name for name in names]
        if element.get("id") is not None:
            keys.append("#" + element.get("id"))
        if attribute_names:
            keys += ["[" + name for name in element.attrib if name in attribute_names]
        if any(_matches(element, selector, 0, budget) for key in keys for selector in by_name.get(key, ())):
            hidden.append(element)
    return hidden


def _css_unescaped(css: str, *, structure: bool = True) -> str:
    """CSS as a browser reads its escapes (`\\6e one` is `none`): a hostile page spelled `display:n\\6f ne` so that
    no pattern read it (hostile input, twenty-first round). Without `structure`, an escaped character that would be
    read as CSS's own syntax (`.md\\:block`, a brace) becomes U+FFFD: part of a name, never a separator."""
    def one(match: re.Match) -> str:
        if match.group(2) is not None:
            char = match.group(2)
        else:
            code = int(match.group(1), 16)
            char = chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return char if structure or char not in _CSS_SYNTAX else "\ufffd"
    return _CSS_ESCAPE.sub(one, css) if "\\" in css else css


def _declarations(style: str) -> str:
    """An inline style as the patterns read it: in lower case, without comments, escapes read, without white space and
    `!important` (`display:/**/none` and `DISPLAY : NONE !important` both hide)."""
    if "/*" in style:
        style = _without_css_comments(style)
    return _STYLE_NOISE.sub("", _css_unescaped(style).lower())


def _colour(value: str) -> str:
    """A colour value in one spelling for comparison: `#fff`, `#FFFFFF`, `white` and `rgb(255,255,255)` alike."""
    value = _NAMED_COLOURS.get(value, value)
    return "#" + "".join(c * 2 for c in value[1:]) if re.fullmatch(r"#[0-9a-f]{3}", value) else value


def _colour_of_background(style: str) -> bool:
    """Whether the style paints the text in its own background's colour (`color:#fff;background:#FFFFFF`)."""
    colours: dict[str, str] = {}
    for match in _COLOUR_OF.finditer(style):
        colours["color" if match.group(1) == "color" else "background"] = _colour(match.group(2))
    return len(colours) == 2 and colours["color"] == colours["background"]


def _too_small(pattern: re.Pattern, style: str, scale: dict, floor: float = float("-inf")) -> bool:
    """Whether the style's size or opacity (`_FONT_SIZE`, `_OPACITY`) is under what a reader can see: `.0`, `-1`,
    `1e-9`, `0.1px` hid words as well as `0` (hostile input, twenty-first round). A value under `floor` is invalid,
    so ignored by browsers (a negative font size)."""
    found = pattern.search(style)
    return bool(found) and floor <= float(found.group(1)) < scale.get(found.group(2), 0)


def _style_hides(style: str, element: Any | None = None) -> bool:
    """Whether declarations read by `_declarations` keep a reader from seeing what they style (see `hidden_by_style`).
    Without the element (a style sheet's rule), a zero font size and a colour are not read: a rule cannot tell
    whether the children are sized or coloured back (the inline-block gap trick)."""
    animated = element is not None and any(name.startswith("data-") for name in element.attrib)  # a fade-in's hook
    return bool(_STYLE_HIDES.search(style)
                or element is not None and _too_small(_FONT_SIZE, style, _UNREADABLE_SIZE, 0) and not _SIZED(element)
                or _too_small(_OPACITY, style, {None: 0.01, "%": 1}) and not animated
                or _INDENTED_AWAY.search(style)
                or _NO_BOX.search(style) and _CLIPPED_BOX.search(style) and "padding" not in style
                or _NO_SCALE.search(style) and not animated
                or _CLIPPED_AWAY.search(style)
                or element is not None and (_NO_COLOUR.search(style) or _colour_of_background(style))
                and not _SIZED(element)
                or _POSITIONED.search(style) and _OFF_SCREEN.search(style))


def styled_unseen(element: Any) -> bool:
    """Whether the element's inline style keeps a reader from seeing it (see `hidden_by_style`)."""
    return _style_hides(_declarations(element.get("style") or ""), element)


def hidden_by_style(tree: Any) -> list[Any]:
    """The elements whose inline style keeps a reader from seeing them: a hostile page hid a fake quote or spam inside
    a story that way and its words were read as the story's, since trafilatura drops `display:none` as written in lower
    case only, and none at all when the hidden blocks hold most of the page's text (hostile input, twentieth round).
    `display:none`, `visibility:hidden`, a font size of zero where no descendant can be sized back up (the inline-block
    gap trick's children carry a class or a style), an opacity of zero unless a `data-` attribute hooks an animation
    that fades it in (Webflow, AOS), a positioned box 1,000 pixels (100 em) or more off the screen's left or top, or
    clipped to nothing (the screen-reader-only pattern); and the elements of a class the page's own style sheet hides
    (`hiding_selectors`). Never a block holding the headline. One regular-expression pass per styled element, one
    over the style sheets."""
    hidden = [element for element in _STYLED(tree) if styled_unseen(element) and element.find(".//h1") is None]
    hidden += [element for element in sheet_hidden(tree) if element.find(".//h1") is None]
    return list(dict.fromkeys(hidden))


_MAYBE_HIDDEN = XPath("//*[@style or @hidden or @class]")
_IN_HEADLINES = XPath("//h1//*")


def drop_hidden(tree: Any, *, in_headlines: bool = False) -> None:
    """The tree (a feed's HTML fragment, or a page's `<h1>`s with `in_headlines`) without what a browser would not
    show: the `hidden` attribute, a hiding inline style (`styled_unseen`) or what its own `<style>` hides
    (`hiding_selectors`); each element's tail, outside it, stays. A summary's invisible « Capgemini accusé de fraude »
    was stored as the story when its page could not be read, and `<h1><span style="display:none">Capgemini accusé de
    fraude</span>Mistral AI signe…` as the title, glued; either made Capgemini a company of the story (hostile input,
    twentieth round)."""
    candidates = (_IN_HEADLINES if in_headlines else _MAYBE_HIDDEN)(tree)
    if not candidates and (in_headlines or not _STYLE_SHEETS(tree)):
        return
    by_sheet = [element for element in sheet_hidden(tree)
                if not in_headlines or any(True for _ in element.iterancestors("h1"))]
    for element in dict.fromkeys([element for element in candidates if element.get("hidden") is not None
                                  and element.get("hidden") != "until-found" or styled_unseen(element)] + by_sheet):
        element.drop_tree()
