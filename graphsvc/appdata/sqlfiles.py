"""SQL statements kept in files, one per file, loaded and checked when the package is imported.

`sql/users/find_user.sql` is the statement `users/find_user`; `find_user.postgresql.sql` (or
`.sqlite.sql`) beside it replaces it in that dialect. Each file starts with a `--` comment that
says what it returns, and holds exactly one statement with named `:parameters`.
"""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import TextClause, text

from graphsvc.errors import QueryFileError

DIALECTS = ("sqlite", "postgresql")
_STATEMENT_END = re.compile(r";\s*$")


class Queries:
    def __init__(self, root: Path):
        self.root = root
        self._plain: dict[str, TextClause] = {}
        self._dialect: dict[tuple[str, str], TextClause] = {}
        for path in sorted(root.rglob("*.sql")):
            rel = path.relative_to(root).as_posix()[: -len(".sql")]
            name, _, dialect = rel.partition(".")
            if dialect and dialect not in DIALECTS:
                raise QueryFileError(f"{path}: unknown dialect {dialect!r} in the file name "
                                     f"(use {' or '.join(DIALECTS)}).")
            clause = text(_read(path))
            if dialect:
                self._dialect[(name, dialect)] = clause
            else:
                self._plain[name] = clause

    def get(self, name: str, dialect: str) -> TextClause:
        clause = self._dialect.get((name, dialect))
        if clause is None:
            clause = self._plain.get(name)
        if clause is None:
            raise QueryFileError(f"There is no SQL file {self.root / name}.sql.")
        return clause

    def names(self) -> set[str]:
        return set(self._plain) | {n for n, _ in self._dialect}


def _read(path: Path) -> str:
    body = path.read_text(encoding="utf-8")
    lines = body.splitlines()
    if not lines or not lines[0].startswith("--"):
        raise QueryFileError(f"{path}: the first line must be a -- comment saying what the "
                             "statement returns and why it exists.")
    code = "\n".join(ln for ln in lines if not ln.lstrip().startswith("--")).strip()
    if not code:
        raise QueryFileError(f"{path}: the file holds no statement.")
    inner = _STATEMENT_END.sub("", code)
    if ";" in inner:
        raise QueryFileError(f"{path}: one statement per file (found a ';' inside it).")
    return inner


def split_script(body: str) -> list[str]:
    """The statements of a migration script: ends at a ';' closing a line, except inside a
    trigger body (BEGIN … END;) or a dollar-quoted function body ($$ … $$)."""
    statements: list[str] = []
    current: list[str] = []
    in_block = in_dollar = False
    for line in body.splitlines():
        stripped = line.strip()
        if not current and (not stripped or stripped.startswith("--")):
            continue
        current.append(line)
        in_dollar ^= stripped.count("$$") % 2 == 1
        if re.match(r"^BEGIN\b", stripped, re.I) and not in_dollar:
            in_block = True
        if in_dollar:
            continue
        if in_block:
            if re.match(r"^END;\s*$", stripped, re.I):
                in_block = False
                statements.append("\n".join(current).rstrip().rstrip(";"))
                current = []
            continue
        if stripped.endswith(";"):
            statements.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    if "".join(current).strip():
        statements.append("\n".join(current))
    return statements
