"""Exports of an entity view: CSV (one row per link), GraphML (networkx) and an i2 chart (.anx).

What is exported is exactly what the view showed, with the same role-restricted fields, so a
disclosure never carries more than the officer saw on screen.
"""

from __future__ import annotations

import csv
import io
import logging
from typing import Any

import networkx as nx
from anxwritter import ANXChart, ANXValidationError

from graphsvc import audit
from graphsvc.entity import Expansion, View, chart_view
from graphsvc.errors import InputError
from graphsvc.model import KINDS
from graphsvc.search import check_justification
from graphsvc.settings import Settings
from graphsvc.spreadsheet import csv_cell, csv_row, xml_text
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

FORMATS = {  # format → (file suffix, media type)
    "csv": ("csv", "text/csv; charset=utf-8"),
    "graphml": ("graphml", "application/graphml+xml"),
    "i2": ("anx", "application/octet-stream"),
}


def _i2_icon(kind: str) -> str:
    """The i2 icon type (a standard Analyst's Notebook library name) of a kind of entity."""
    found = KINDS.get(kind)
    return found.i2_icon if found else "Document"


def _props_text(props: dict[str, Any]) -> str:
    return "; ".join(f"{k}: {csv_cell(v)}" for k, v in sorted(props.items()))


def to_csv(view: View) -> str:
    """One row per link: both ends (kind, key, caption) and the link's own properties."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["hop", "from_kind", "from_key", "from", "link", "relation", "to_kind",
                     "to_key", "to", "grading", "dates", "link_details"])
    for edge in view.edges:
        a, b = view.nodes[edge.source], view.nodes[edge.target]
        writer.writerow(csv_row([edge.hop, a.kind, a.key, a.label, edge.type, edge.label,
                                 b.kind, b.key, b.label, edge.props.get("grading"),
                                 edge.dates, _props_text(edge.props)]))
    if not view.edges:  # a node with no links still exports itself
        root = view.root
        writer.writerow(csv_row([0, root.kind, root.key, root.label] + [""] * 8))
    return out.getvalue()


def to_networkx(view: View) -> nx.MultiDiGraph:
    """The view as a networkx multigraph; attributes are GraphML-safe scalars."""
    graph = nx.MultiDiGraph(root=xml_text(view.root.id), depth=view.depth, page=view.page)
    for node in view.nodes.values():
        attrs = {"kind": node.kind, "key": xml_text(node.key), "label": xml_text(node.label),
                 "hop": node.hop}
        for name, value in node.props.items():
            attrs[f"p_{name}"] = _scalar(value)
        graph.add_node(xml_text(node.id), **attrs)
    for edge in view.edges:
        attrs = {"type": edge.type, "relation": edge.label, "hop": edge.hop}
        attrs.update({f"p_{k}": _scalar(v) for k, v in edge.props.items()})
        graph.add_edge(xml_text(edge.source), xml_text(edge.target), key=xml_text(edge.id),
                       **attrs)
    return graph


def _scalar(value: Any) -> str | int | float | bool:
    """A GraphML-safe attribute: a number, or text XML can carry."""
    if isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    return xml_text(str(value))


def to_graphml(view: View) -> bytes:
    out = io.BytesIO()
    nx.write_graphml(to_networkx(view), out, encoding="utf-8")
    return out.getvalue()


def to_i2_chart(view: View) -> ANXChart:
    """The view as an i2 Analyst's Notebook chart: one icon per entity, one link per edge."""
    chart = ANXChart()
    for node in view.nodes.values():
        attributes = {k: xml_text(csv_cell(v)) for k, v in node.props.items()
                      if v not in ("", None)}
        attributes["graphsvc key"] = xml_text(node.id)
        chart.add_icon(id=xml_text(node.id), type=_i2_icon(node.kind),
                       label=xml_text(node.label), attributes=attributes)
    for edge in view.edges:
        when = str(edge.props.get("start_date") or edge.props.get("first_seen") or "")[:10]
        link = {"from_id": xml_text(edge.source), "to_id": xml_text(edge.target),
                "type": edge.type, "arrow": "->", "label": xml_text(edge.label)}
        if len(when) == 10:
            link["date"] = when
        chart.add_link(**link)
    return chart


def to_i2(view: View) -> bytes:
    """The .anx file's bytes (UTF-16, as Analyst's Notebook expects)."""
    try:
        return b"".join(to_i2_chart(view).iter_anx_bytes())
    except ANXValidationError as exc:
        log.warning("i2 chart refused: %s", exc)
        raise InputError(f"This view cannot be written as an i2 chart: {exc}") from None


def render(view: View, fmt: str) -> bytes:
    if fmt == "csv":
        return to_csv(view).encode("utf-8-sig")  # the BOM makes Excel read UTF-8
    if fmt == "graphml":
        return to_graphml(view)
    if fmt == "i2":
        return to_i2(view)
    raise InputError(f"Unknown export format {fmt!r}: choose csv, graphml or i2.")


def filename(view: View, fmt: str) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in view.root.key)[:60]
    return f"{view.root.kind}-{safe}-depth{view.depth}-page{view.page}.{FORMATS[fmt][0]}"


def export_view(settings: Settings, store: GraphStore, *, user: str, role: str, kind: str,
                key: str, fmt: str, justification: str, depth: int = 1,
                types: list[str] | None = None, page: int = 1,
                expansions: list[Expansion] | None = None,
                shown: list[str] | None = None) -> tuple[str, bytes]:
    """Rebuild the chart as the user left it (expansions, hidden nodes), render it, and record
    the disclosure."""
    if fmt not in FORMATS:
        raise InputError(f"Unknown export format {fmt!r}: choose csv, graphml or i2.")
    reason = check_justification(justification)
    view = chart_view(store, kind, key, depth=depth, types=types, page=page,
                      expansions=expansions, shown=shown, role=role)
    data = render(view, fmt)
    audit.record(settings, user=user, role=role, kind="disclosure", action=f"export_{fmt}",
                 asked={"entity": view.root.id, "depth": depth, "types": view.types,
                        "page": page, "format": fmt,
                        "expansions": [[x.node, x.type, x.page] for x in expansions or []],
                        "hidden_or_collapsed": shown is not None},
                 shown=list(view.nodes), justification=reason)
    return filename(view, fmt), data

