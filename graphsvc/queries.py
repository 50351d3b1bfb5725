"""Cypher statements kept in files under `cypher/`, one per file, loaded and checked at start-up.

A file whose name holds `{kind}` is a family: one template rendered per kind of entity at load
time (`read/entity_{kind}` gives `read/entity_person`, `read/entity_vehicle`, ...). Its header
line `// family: entity` (every kind) or `// family: flaggable` (every kind a flag can concern)
says which kinds; `__Label__` and `__key__` in its text become each kind's label and business
key (graphsvc.model). `// family: new_person` gives a person as created by the import: `person`
(Person) or `offender` (Person:Offender, labelled at once). `python -m graphsvc.queries DIR`
writes the rendered statements to DIR for Neo4j's linter (scripts/test.sh).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any

from graphsvc.errors import QueryFileError

_POSITIONAL = re.compile(r"\$\d")
_NAMED = re.compile(r"\$([A-Za-z_]\w*)")
# Header lines `// key: value`, or `// key name: value` (e.g. `// param radius_m: 1000`).
_META = re.compile(r"^//\s*([A-Za-z_]\w*)(?:\s+([A-Za-z_]\w*))?\s*:\s*(.*)$")


@dataclass(frozen=True)
class Query:
    """One statement: its name (`read/address_by_id`), file, text and header."""

    name: str
    path: Path
    text: str
    header: tuple[str, ...] = ()
    meta: dict[str, list[str]] = field(default_factory=dict)

    def first(self, key: str, default: str = "") -> str:
        values = self.meta.get(key)
        return values[0] if values else default

    @cached_property
    def parameters(self) -> list[str]:
        """The names of the parameters the statement's text uses (`$as_of` → `as_of`), sorted."""
        return sorted(set(_NAMED.findall(self.text)))

    def only_its_parameters(self, params: dict[str, Any]) -> dict[str, Any]:
        """Of `params`, those the statement uses (an engine is sent nothing else)."""
        return {name: params[name] for name in self.parameters if name in params}


def cypher_root() -> Path:
    """The `cypher/` folder, found through the package so the working directory never matters."""
    return Path(str(resources.files("cypher")))


def _strip_code(text: str) -> str:
    """Text with comments and string literals blanked, for structural checks."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            if j < 0:
                raise ValueError("a /* comment is never closed")
            i = j + 2
        elif c in "'\"`":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                raise ValueError(f"a {c} quoted string is never closed")
            out.append(" ")
            i = j + 1
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_statements(text: str) -> list[str]:
    """Split a script on top-level semicolons (used only for the per-engine schema files)."""
    statements, current, i, n = [], [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        if c in "'\"`":
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            current.append(text[i : j + 1])
            i = j + 1
            continue
        if c == ";":
            statements.append("".join(current).strip())
            current = []
        else:
            current.append(c)
        i += 1
    statements.append("".join(current).strip())
    return [s for s in statements if s]


def parse_query(name: str, path: Path, raw: str) -> Query:
    """Check one file's text and return its Query; raise QueryFileError naming the path."""
    lines = raw.splitlines()
    header = tuple(line.strip()[2:].strip() for line in lines[: _first_code_line(raw)]
                   if line.strip().startswith("//"))
    try:
        code = _strip_code(raw)
    except ValueError as exc:
        raise QueryFileError(f"Cypher file {path} is malformed: {exc}.") from None
    body = code.strip().rstrip(";").strip()
    if not body:
        raise QueryFileError(f"Cypher file {path} holds no statement.")
    if ";" in body:
        raise QueryFileError(f"Cypher file {path} holds more than one statement (found ';').")
    for open_, close in ("()", "[]", "{}"):
        if body.count(open_) != body.count(close):
            raise QueryFileError(f"Cypher file {path} is malformed: unbalanced '{open_}{close}'.")
    if _POSITIONAL.search(body):
        raise QueryFileError(f"Cypher file {path} uses a positional parameter; name it ($name).")
    if not header:
        raise QueryFileError(f"Cypher file {path} has no header comment saying what it returns.")
    meta: dict[str, list[str]] = {}
    for line in raw.splitlines():
        m = _META.match(line.strip())
        if m:
            key, sub, value = m.group(1), m.group(2), m.group(3).strip()
            meta.setdefault(key, []).append(f"{sub}: {value}" if sub else value)
    text = raw.strip().rstrip(";").rstrip()
    return Query(name=name, path=path, text=text, header=header, meta=meta)


def _first_code_line(raw: str) -> int:
    for index, line in enumerate(raw.splitlines()):
        if line.strip() and not line.strip().startswith("//"):
            return index
    return len(raw.splitlines())


def _name_of(path: Path, root: Path) -> str:
    return path.relative_to(root).with_suffix("").as_posix()


_extra_roots: list[Path] = []


def add_folder(root: Path) -> None:
    """Load statements from another folder too (tests keep their own statements apart)."""
    if root not in _extra_roots:
        _extra_roots.append(root)
        load_all.cache_clear()


@cache
def load_all() -> dict[str, Query]:
    """Load and check every statement file (schema scripts excluded); fail on the first bad one."""
    queries: dict[str, Query] = {}
    for root in [cypher_root(), *_extra_roots]:
        queries.update(_load_folder(root))
    return queries


def _load_folder(root: Path) -> dict[str, Query]:
    queries = {}
    for path in sorted(root.rglob("*.cypher")):
        name = _name_of(path, root)
        if name.startswith("schema/"):
            continue
        try:
            raw = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise QueryFileError(f"Cypher file {path} cannot be read: {exc}.") from None
        if FAMILY_MARK in name:
            for member, text in render_family(name, path, raw).items():
                queries[member] = parse_query(member, path, text)
        else:
            queries[name] = parse_query(name, path, raw)
    return queries


FAMILY_MARK = "{kind}"
_FAMILY = re.compile(r"^//\s*family:\s*(\w+)\s*$", re.MULTILINE)


def render_family(name: str, path: Path, raw: str) -> dict[str, str]:
    """Each kind's statement of a family template, by name; QueryFileError for a bad family."""
    from graphsvc import model  # model reads rule titles through this module: import on use

    person = model.KINDS["person"]
    families = {"entity": model.KINDS.values(), "flaggable": model.FLAGGABLE.values(),
                "new_person": (person, replace(person, kind="offender",
                                               label=f"{person.label}:{model.OFFENDER_LABEL}"))}
    found = _FAMILY.search(raw)
    if not found or found.group(1) not in families:
        raise QueryFileError(f"Cypher template {path} needs a header line '// family: entity', "
                             "'// family: flaggable' or '// family: new_person'.")
    text = _FAMILY.sub("", raw, count=1).lstrip("\n")
    return {name.replace(FAMILY_MARK, kind.kind):
            text.replace("__Label__", kind.label).replace("__key__", kind.key)
            for kind in families[found.group(1)]}


def write_rendered(folder: Path) -> list[Path]:
    """Write every statement rendered from a family template to `folder` (for the linter)."""
    written = []
    root = cypher_root()
    for path in sorted(root.rglob(f"*{FAMILY_MARK}*.cypher")):
        name = _name_of(path, root)
        for member, text in render_family(name, path, path.read_text(encoding="utf-8")).items():
            out = folder / f"{member}.cypher"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(text, encoding="utf-8")
            written.append(out)
    return written


def get(name: str) -> Query:
    """The statement called `name` (e.g. `read/address_by_id`); a missing one is an error."""
    queries = load_all()
    try:
        return queries[name]
    except KeyError:
        raise QueryFileError(
            f"No Cypher file for query {name!r}: expected {cypher_root() / (name + '.cypher')}."
        ) from None


def names(prefix: str = "") -> list[str]:
    """Names of all statements under a group such as `rules/`."""
    return [n for n in load_all() if n.startswith(prefix)]


def load_script(name: str) -> list[str]:
    """Statements of a multi-statement script such as `schema/falkordb`."""
    path = cypher_root() / f"{name}.cypher"
    if not path.is_file():
        raise QueryFileError(f"Cypher script {path} is missing.")
    return split_statements(path.read_text(encoding="utf-8"))


if __name__ == "__main__":
    write_rendered(Path(sys.argv[1]))
