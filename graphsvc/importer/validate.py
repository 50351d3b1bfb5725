"""Checking one row against its file's columns: parsed values, or the field and reason it fails."""

from __future__ import annotations

import hashlib
from typing import Any

from graphsvc.importer.files import FileSpec, RowError


def _items(value: Any) -> list[str]:
    parts = value if isinstance(value, list) else value.split(";")
    return [p.strip() for p in parts if p.strip()]


def validate_cells(spec: FileSpec, cells: dict[str, Any]) -> dict[str, Any]:
    """The row as its statement needs it; raise RowError naming the first field that fails."""
    row: dict[str, Any] = {}
    for column in spec.columns:
        name = column.name
        value = cells.get(name, "")
        if isinstance(value, list) and not column.is_list:
            raise RowError(name, "holds a list but this field takes one value")
        if not isinstance(value, list):
            value = value.strip()
        if not value:
            if column.required:
                raise RowError(name, "no value given, but this field is required")
            if column.default is None:
                row[name] = None
                continue
            value = column.default
        try:
            if column.is_list:
                parsed = list(dict.fromkeys(column.parse(item) for item in _items(value)))
                row[name] = parsed or None
                continue
            if column.choices:
                value = value.lower()
                if value not in column.choices:
                    raise ValueError(f"'{value}' is not one of {', '.join(column.choices)}")
            row[name] = column.parse(value)
        except ValueError as exc:
            raise RowError(name, str(exc)) from None
    return spec.prepare(row)


def row_hash(row: dict[str, Any]) -> str:
    """A short fingerprint of a prepared row, so an unchanged row leaves `updated_at` alone."""
    text = repr(sorted(row.items()))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def link_hash(row: dict[str, Any]) -> str:
    """Fingerprint of what a structural relationship holds: only its provenance."""
    text = f"{row.get('source')}\x1f{row.get('source_ref')}"
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def key_of(spec: FileSpec, row: dict[str, Any]) -> tuple:
    return tuple(row[name] for name in spec.key)
