"""What a browser does not show a reader: words a page or a feed's HTML hides with a style.

A hostile page hid spam or a fake quote inside a story (« Capgemini accusé de fraude » under a story about Mistral AI)
with an inline style or a class its own style sheet hides, and the words were stored as the story's, naming a company
and swaying its tone (hostile input, twentieth round). trafilatura drops `display:none` as written in lower case only,
and nothing when the hidden blocks hold most of the page's text.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from lxml.etree import XPath

# An inline style that keeps a reader from seeing an element (`hidden_by_style`), read in lower case without spaces
# and `!important`
_STYLED = XPath("//body//*[@style]")
_STYLE_NOISE = re.compile(r"\s+|!important")
_STYLE_HIDES = re.compile(r"(?:^|;)(?:display:none|visibility:(?:hidden|collapse))(?:;|$)")
_NO_FONT_SIZE = re.compile(r"(?:^|;)font-size:0(?:px|em|rem|pt|%)?(?:;|$)")
_NO_OPACITY = re.compile(r"(?:^|;)opacity:0(?:\.0*)?%?(?:;|$)")
_POSITIONED = re.compile(r"(?:^|;)position:(?:absolute|fixed|relative)(?:;|$)")
_OFF_SCREEN = re.compile(r"(?:^|;)(?:(?:left|top):-(?:\d{4,}(?:\.\d*)?px|\d{3,}(?:\.\d*)?em)"
                         r"|clip:rect\((?:0|1px,1px,1px,1px)|clip-path:inset\(50%\))")
_SIZED = XPath("boolean(.//*[@class or @style])")
# The page's own style sheets for every screen, and the class names they name
_STYLE_SHEETS = XPath("//style[not(@media) or @media = 'all' or @media = 'screen']/text()", smart_strings=False)
_HIDING_VALUE = re.compile(r":\s*(?:none|hidden|collapse)", re.IGNORECASE)  # of `display` or `visibility`
_CSS_CLASS = re.compile(r"\.(-?[_a-zA-Z][-\w]*)")
_ONE_CLASS = re.compile(r"\s*\.(-?[_a-zA-Z][-\w]*)\s*")
_CLASSED = XPath("//body//*[@class]")


def _without_css_comments(css: str) -> str:
    """The style sheet without its comments; an unclosed one runs to the end. One forward scan."""
    parts, done = [], 0
    while (start := css.find("/*", done)) >= 0:
        parts.append(css[done:start])
        end = css.find("*/", start + 2)
        done = len(css) if end < 0 else end + 2
    return "".join(parts) + css[done:]


def hiding_classes(css: str) -> set[str]:
    """The class names a style sheet hides with a rule of its own (`.promo-x { display: none }`, at its top level,
    every selector of the rule one class) and names nowhere else: a class shown again by another rule, a media query
    or a state (`.tab.active`, `.open .menu`) may be shown to a reader. Only the rules holding such a declaration are
    read, the braces before each counted from the previous one: linear in the sheet's length."""
    css = _without_css_comments(css)
    hiding: Counter = Counter()
    depth, counted, rule_end = 0, 0, 0
    for declaration in _HIDING_VALUE.finditer(css):
        if declaration.start() < rule_end or not css[max(0, declaration.start() - 20):declaration.start()].rstrip(
                ).lower().endswith(("display", "visibility")):
            continue  # in the rule read last, or another property
        opening = css.rfind("{", counted, declaration.start())
        if opening < 0:
            continue  # in no rule
        depth = max(0, depth + css.count("{", counted, opening) - css.count("}", counted, opening))
        rule_end = css.find("}", opening)
        rule_end = len(css) if rule_end < 0 else rule_end
        body, begins = css[opening + 1:rule_end], max(css.rfind("}", counted, opening), css.rfind(";", counted, opening))
        counted = opening
        if depth or "{" in body:
            continue  # inside an at-rule's block (@media, @supports), or holding rules: for some readers only
        selectors = css[begins + 1:opening].split(",")
        names = [match.group(1) for match in map(_ONE_CLASS.fullmatch, selectors) if match]
        if names and len(names) == len(selectors) and _STYLE_HIDES.search(_STYLE_NOISE.sub("", body.lower())):
            hiding.update(names)
    if not hiding:
        return set()
    if len(hiding) <= 256:  # 32 names looked for in a pass: quicker than reading every class a 1 MB sheet names
        names, named = sorted(hiding), Counter()
        for group in range(0, len(names), 32):
            named.update(re.findall(r"\.(" + "|".join(map(re.escape, names[group:group + 32])) + r")(?![-\w])", css))
    else:
        named = Counter(name for name in _CSS_CLASS.findall(css) if name in hiding)
    return {name for name, count in hiding.items() if named[name] == count}


def page_hiding_classes(tree: Any) -> set[str]:
    """The classes the page's own style sheets for every screen hide (`hiding_classes`)."""
    sheets = _STYLE_SHEETS(tree)
    return hiding_classes("\n".join(sheets)) if sheets else set()


def styled_unseen(element: Any) -> bool:
    """Whether the element's inline style keeps a reader from seeing it (see `hidden_by_style`)."""
    style = _STYLE_NOISE.sub("", (element.get("style") or "").lower())
    return bool(_STYLE_HIDES.search(style)
                or _NO_FONT_SIZE.search(style) and not _SIZED(element)
                or _NO_OPACITY.search(style) and not any(name.startswith("data-") for name in element.attrib)
                or _POSITIONED.search(style) and _OFF_SCREEN.search(style))


def hidden_by_style(tree: Any) -> list[Any]:
    """The elements whose inline style keeps a reader from seeing them: a hostile page hid a fake quote or spam inside
    a story that way and its words were read as the story's, since trafilatura drops `display:none` as written in lower
    case only, and none at all when the hidden blocks hold most of the page's text (hostile input, twentieth round).
    `display:none`, `visibility:hidden`, a font size of zero where no descendant can be sized back up (the inline-block
    gap trick's children carry a class or a style), an opacity of zero unless a `data-` attribute hooks an animation
    that fades it in (Webflow, AOS), a positioned box 1,000 pixels (100 em) or more off the screen's left or top, or
    clipped to nothing (the screen-reader-only pattern); and the elements of a class the page's own style sheet hides
    (`hiding_classes`). Never a block holding the headline. One regular-expression pass per styled element, one
    over the style sheets."""
    hidden = [element for element in _STYLED(tree) if styled_unseen(element) and element.find(".//h1") is None]
    classes = page_hiding_classes(tree)
    if classes:  # one walk whatever the number of classes (an expression per class cost seconds for 2,000)
        hidden += [element for element in _CLASSED(tree) if not classes.isdisjoint(element.get("class").split())
                   and element.find(".//h1") is None]
    return list(dict.fromkeys(hidden))


_MAYBE_HIDDEN = XPath("//*[@style or @hidden or @class]")
_IN_HEADLINES = XPath("//h1//*[@style or @hidden or @class]")


def drop_hidden(tree: Any, *, in_headlines: bool = False) -> None:
    """The tree (a feed's HTML fragment, or a page's `<h1>`s with `in_headlines`) without what a browser would not
    show: the `hidden` attribute, a hiding inline style (`styled_unseen`) or a class its own `<style>` hides
    (`hiding_classes`); each element's tail, outside it, stays. A summary's invisible « Capgemini accusé de fraude »
    was stored as the story when its page could not be read, and `<h1><span style="display:none">Capgemini accusé de
    fraude</span>Mistral AI signe…` as the title, glued; either made Capgemini a company of the story (hostile input,
    twentieth round)."""
    candidates = (_IN_HEADLINES if in_headlines else _MAYBE_HIDDEN)(tree)
    if not candidates:
        return
    classes = page_hiding_classes(tree)
    for element in candidates:
        if (element.get("hidden") is not None and element.get("hidden") != "until-found" or styled_unseen(element)
                or classes and not classes.isdisjoint((element.get("class") or "").split())):
            element.drop_tree()
