"""Story text a page only carries as JSON: Next.js `<script id="__NEXT_DATA__">` (Arc/Fusion, custom Next.js sites).

Such a page's markup holds a skeleton; the browser renders the story from the JSON. trafilatura reads JSON-LD
`articleBody` (its baseline pass) but not this script, so the article fell back to the feed's one-line summary.
The reader takes Arc `content_elements` (text, header, list, table), a headless CMS's rich text — Sanity Portable
Text blocks, a Contentful rich-text document — or, failing those, the longest `articleBody` / `body` string.
Everything in it is hostile: only strings are read, HTML inside them is reduced to its text (scripts and styles
dropped), and the script's size and the number of JSON nodes walked are bounded (see MAX_* below), like the markup in
pipeline/budget.py.
"""

from __future__ import annotations

import json
import logging
from typing import Any

import lxml.html
from lxml import etree
from lxml.etree import XPath

log = logging.getLogger(__name__)

MAX_SCRIPT_CHARS = 3_000_000  # a real `__NEXT_DATA__` is 50-500 KB; a bigger one is not parsed
MAX_NODES = 200_000  # JSON values walked at most (json.loads of 3 MB: ~30 ms; the walk stays below that)
MIN_BODY_CHARS = 200  # a generic `body` string shorter than this is a label or a teaser, not a story

_NEXT_DATA = XPath("//script[@id='__NEXT_DATA__']/text()")
_ARC_TEXT_TYPES = ("text", "header")
_BODY_KEYS = ("articleBody", "body")


def _plain(value: Any) -> str:
    """The text of a JSON string that may hold HTML (« <p>…</p> », « &quot; »); '' for anything else."""
    if not isinstance(value, str) or not value.strip():
        return ""
    if "<" not in value and "&" not in value:
        return " ".join(value.split())
    try:
        root = lxml.html.fragment_fromstring(value, create_parent="div")
    except (ValueError, etree.ParserError):
        return ""
    for element in list(root.iter("script", "style", "noscript", "template")):
        element.drop_tree()
    for block in root.iter("p", "li", "h2", "h3", "h4", "blockquote", "tr", "div", "br"):
        if block is not root:  # one line per block
            block.tail = "\n" + (block.tail or "")
    return "\n".join(" ".join(line.split()) for line in root.text_content().split("\n") if line.strip())


def _arc_lines(elements: list) -> list[str]:
    """Arc `content_elements`: paragraphs, sub-headings, list items, table rows ("a | b | c"); links to other
    stories (`interstitial_link`), images, embeds and raw HTML are left out."""
    lines: list[str] = []
    for element in elements:
        if not isinstance(element, dict):
            continue
        kind = element.get("type")
        if kind in _ARC_TEXT_TYPES:
            lines.append(_plain(element.get("content")))
        elif kind == "list":
            lines.extend(_plain(item.get("content")) for item in element.get("items") or [] if isinstance(item, dict))
        elif kind == "table":
            rows = [element.get("header") or [], *(element.get("rows") or [])]
            for row in rows:
                if isinstance(row, list):
                    cells = [_plain(cell.get("content")) if isinstance(cell, dict) else _plain(cell) for cell in row]
                    if any(cells):
                        lines.append(" | ".join(cells))
    return [line for line in lines if line]


_RICH_TEXT_BLOCKS = frozenset({"paragraph", "heading-1", "heading-2", "heading-3", "heading-4", "heading-5", "heading-6",
                               "blockquote", "unordered-list", "ordered-list", "list-item"})


def _portable_text_lines(blocks: list) -> list[str]:
    """Sanity Portable Text (Next.js sites on a headless CMS): one line per `block` (paragraph, heading, list item),
    made of its `span` children; the other types — related-article cards, ad slots, newsletter calls, images — are
    the page's furniture, placed between paragraphs by the editor, and are left out."""
    lines = []
    for block in blocks:
        if isinstance(block, dict) and block.get("_type") == "block" and isinstance(block.get("children"), list):
            lines.append(_plain("".join(child.get("text") or "" for child in block["children"]
                                        if isinstance(child, dict) and isinstance(child.get("text"), str))))
    return [line for line in lines if line]


def _rich_text_text(node: dict) -> str:
    """The text of one Contentful rich-text node: its `text` leaves joined (hyperlinks and marks included)."""
    parts, stack = [], [node]
    while stack and len(parts) < MAX_NODES:
        current = stack.pop()
        if isinstance(current, dict):
            if current.get("nodeType") == "text" and isinstance(current.get("value"), str):
                parts.append(current["value"])
            children = current.get("content")
            if isinstance(children, list):
                stack.extend(reversed(children))
    return "".join(parts)


def _rich_text_lines(document: dict) -> list[str]:
    """A Contentful rich-text `document`: one line per paragraph, heading, quote or list item; embedded entries
    (related-story cards) and assets are left out like Portable Text's non-block types."""
    lines: list[str] = []
    for node in document.get("content") or []:
        if not isinstance(node, dict) or node.get("nodeType") not in _RICH_TEXT_BLOCKS:
            continue
        if node["nodeType"] in ("unordered-list", "ordered-list"):
            lines.extend(_plain(_rich_text_text(item)) for item in node.get("content") or [] if isinstance(item, dict))
        else:
            lines.append(_plain(_rich_text_text(node)))
    return [line for line in lines if line]


def _structured_lines(node: Any) -> list[str]:
    """The story lines when `node` is an Arc element list's holder, a Portable Text array or a rich-text document."""
    if isinstance(node, list):
        if any(isinstance(e, dict) and e.get("_type") == "block" for e in node):
            return _portable_text_lines(node)
        return []
    if node.get("nodeType") == "document":
        return _rich_text_lines(node)
    elements = node.get("content_elements")
    if isinstance(elements, list) and any(isinstance(e, dict) and e.get("type") == "text" for e in elements):
        return _arc_lines(elements)
    return []


def _walk(data: Any) -> tuple[list[str], str]:
    """The structured story (Arc, Portable Text, rich text) with the most text, and the longest generic body
    string, found in the JSON (iteratively: a hostile document may nest thousands deep)."""
    best_arc: list[str] = []
    best_chars = 0  # kept, not summed again at each node: 40,000 lines and 80,000 other values took 55 s
    best_body = ""
    stack, seen = [data], 0
    while stack and seen < MAX_NODES:
        node = stack.pop()
        seen += 1
        if isinstance(node, (dict, list)):
            lines = _structured_lines(node)
            chars = sum(map(len, lines))
            if chars > best_chars:
                best_arc, best_chars = lines, chars
        if isinstance(node, dict) and node.get("nodeType") == "document":
            continue  # read whole just above: each document nested in it would read its text again (depth × size)
        if isinstance(node, dict):
            for key in _BODY_KEYS:
                value = node.get(key)
                if isinstance(value, str) and len(value) > max(len(best_body), MIN_BODY_CHARS):
                    best_body = value
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    if seen >= MAX_NODES:
        log.info("__NEXT_DATA__ walk stopped after %d JSON values", MAX_NODES)
    return best_arc, best_body


def next_data_text(tree: Any) -> str:
    """The story text of the page's `__NEXT_DATA__` script, one paragraph a line; '' when there is none."""
    scripts = _NEXT_DATA(tree)
    if not scripts or len(scripts[0]) > MAX_SCRIPT_CHARS:
        return ""
    try:
        data = json.loads(scripts[0])
    except (ValueError, RecursionError):
        return ""
    arc, body = _walk(data)
    text = "\n".join(arc) if arc else _plain(body)
    return text.strip()
