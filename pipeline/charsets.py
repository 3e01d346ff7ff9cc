"""Charset labels from the web (HTTP headers, `<meta charset>`, `<?xml encoding=…?>`) mapped to Python codecs.

`codecs.lookup` accepts far more than browsers do: 'undefined' and 'punycode' raise a bare UnicodeError on decode,
'idna' and 'unicode_escape' are not page encodings, 'utf-7' turns `+ADw-script+AD4-` into `<script>`. Only the
encodings of the WHATWG Encoding Standard (what browsers read) are real; any other label is unknown, so the caller
falls back to BOM, UTF-8 and detection, as a browser does.
"""

from __future__ import annotations

import codecs

# The WHATWG encodings that Python can decode, by a name codecs.lookup knows (x-user-defined and replacement have
# no codec: such a label is unknown here). iso-8859-1, ascii, iso-8859-9 and iso-8859-11 are WHATWG labels of
# windows-1252/1254/874; they are kept so callers can apply that mapping themselves.
_WHATWG = (
    "utf-8", "ibm866", "iso-8859-2", "iso-8859-3", "iso-8859-4", "iso-8859-5", "iso-8859-6", "iso-8859-7",
    "iso-8859-8", "iso-8859-10", "iso-8859-13", "iso-8859-14", "iso-8859-15", "iso-8859-16", "koi8-r", "koi8-u",
    "mac-roman", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258",
    "mac-cyrillic", "gbk", "gb18030", "gb2312", "big5", "big5hkscs", "euc-jp", "iso-2022-jp", "shift_jis", "cp932",
    "euc-kr", "cp949", "utf-16", "utf-16-be", "utf-16-le",
    "latin-1", "ascii", "iso-8859-9", "iso-8859-11",
)
WEB_CODECS = frozenset(codecs.lookup(name).name for name in _WHATWG)


def web_codec(label: str | None) -> str | None:
    """The Python codec name for a charset label, or None when the label is empty, unknown or not a web encoding."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").strip()).name
    except (LookupError, ValueError):  # ValueError: a label holding NUL
        return None
    return name if name in WEB_CODECS else None
