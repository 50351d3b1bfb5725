"""Cells that are safe to hand to a spreadsheet or an XML reader, whatever a record holds.

Every CSV the service writes (audit export, minutes, rejects, entity exports) goes through
`csv_cell`; GraphML and i2 text goes through `xml_text`.
"""

from __future__ import annotations

import re
from typing import Any

# A cell a spreadsheet would run as a formula starts with one of these (after any spaces):
# OWASP's list, their full-width forms, and the line breaks some programs skip.
_FORMULA_START = frozenset("=+-@\t\r\n＝＋－＠")
# Characters XML 1.0 does not allow at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def csv_cell(value: Any) -> str:
    """Text for a CSV cell that no spreadsheet runs: a formula-like start gets a `'` before it.

    >>> csv_cell('=HYPERLINK("x")'), csv_cell(" @SUM(A1)"), csv_cell(["a", "b"]), csv_cell(None)
    ('\\'=HYPERLINK("x")', "' @SUM(A1)", 'a; b', '')
    """
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = "; ".join("" if v is None else str(v) for v in value)
    text = str(value)
    first = text.lstrip(" ")[:1]
    return "'" + text if first and first in _FORMULA_START else text


def csv_row(values: list[Any]) -> list[str]:
    return [csv_cell(v) for v in values]


def xml_text(value: str) -> str:
    """Text XML 1.0 can carry: characters it forbids become U+FFFD (so a reader sees that
    something was there).

    >>> xml_text("bell\\x07 tab\\t ok")
    'bell\\ufffd tab\\t ok'
    """
    return _NOT_XML.sub("\ufffd", value)
