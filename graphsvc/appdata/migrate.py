"""Versioned schemas for the application stores, one sequence of migrations for both backends.

`migrations/<store>/NNNN_what.sql` is migration NNNN of a store; a `NNNN_what.<dialect>.sql`
takes its place in that dialect where the DDL differs (identity columns, triggers). The version
of each store is kept in `graphsvc_schema`. All pending migrations of a store run in one
transaction (both backends have transactional DDL), so one that fails leaves the schema as it
was and says so.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError

from graphsvc import appdata
from graphsvc.appdata.sqlfiles import DIALECTS, split_script
from graphsvc.dates import stamp
from graphsvc.errors import GraphsvcError
from graphsvc.settings import Settings

log = logging.getLogger(__name__)

ROOT = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)(?:\.(sqlite|postgresql))?\.sql$")
# Taken while a store is migrated (two processes starting at once must not both apply the
# same migration).
MIGRATE_LOCK = appdata.Lock.MIGRATE


class MigrationFailed(GraphsvcError):
    """A migration failed and was rolled back."""

    exit_code = 9
    http_status = 503


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path


def migrations(store: str, dialect: str) -> list[Migration]:
    """The migrations of a store in order, each in this dialect's variant where it has one."""
    found: dict[int, Migration] = {}
    for path in sorted((ROOT / store).glob("*.sql")):
        m = _NAME.match(path.name)
        if not m:
            raise GraphsvcError(f"{path}: a migration is named NNNN_what.sql (or "
                                f"NNNN_what.{'/'.join(DIALECTS)}.sql).")
        version, name, variant = int(m[1]), m[2], m[3]
        if variant and variant != dialect:
            continue
        if variant or version not in found:
            found[version] = Migration(version, name, path)
    ordered = [found[v] for v in sorted(found)]
    for i, mig in enumerate(ordered, start=1):
        if mig.version != i:
            raise GraphsvcError(f"{ROOT / store}: migration {i:04d} is missing.")
    return ordered


def current_version(conn: Connection, store: str) -> int:
    row = appdata.run(conn, "common/schema_version", store=store).first()
    return int(row[0]) if row else 0


def upgrade(settings: Settings, store: str, *, target: int | None = None) -> int:
    """Apply the store's pending migrations (up to `target`); return the version reached."""
    eng = appdata.engine(settings, store)
    try:
        conn = eng.connect()
    except (OperationalError, DBAPIError) as exc:
        raise appdata.unavailable(settings, store, exc) from None
    with conn:
        conn = conn.execution_options(write=True)
        with conn.begin():
            appdata.run(conn, "common/create_schema_table")
            appdata.lock_chain(conn, MIGRATE_LOCK)
            before = current_version(conn, store)
        pending = [m for m in migrations(store, conn.dialect.name)
                   if m.version > before and (target is None or m.version <= target)]
        if not pending:
            return before
        trans = conn.begin()
        try:
            appdata.lock_chain(conn, MIGRATE_LOCK)
            before = current_version(conn, store)
            for mig in pending:
                if mig.version <= before:
                    continue
                _apply(conn, store, mig)
            trans.commit()
        except SQLAlchemyError as exc:
            trans.rollback()
            reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise MigrationFailed(
                f"Migration {mig.version:04d}_{mig.name} of the {store} store failed ({reason}): "
                f"nothing was changed, the schema is still at version {before}.") from None
    log.info("%s store migrated from version %d to %d", store, before, pending[-1].version)
    return pending[-1].version


def _apply(conn: Connection, store: str, mig: Migration) -> None:
    for statement in split_script(mig.path.read_text(encoding="utf-8")):
        conn.exec_driver_sql(statement)
    params = {"store": store, "version": mig.version,
              "at": stamp()}
    appdata.run(conn, "common/set_schema_version", **params)
