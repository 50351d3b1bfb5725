"""What a writer changed, by record key: the input of an incremental rule run.

An import collects it as it writes (graphsvc/importer/write.py); graphsvc/rules/incremental.py
re-evaluates only what it can affect.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from graphsvc.model import FLAGGABLE, entity_key

_KIND_OF_LABEL = {kind.label: key for key, kind in FLAGGABLE.items()}
# The statement parameter that lists each kind of changed key (as in flags/for_entities).
_PARAM_OF_KIND = {"person_id": "person_ids", "address_id": "address_ids",
                  "placement_id": "placement_ids", "plan_id": "plan_ids",
                  "order_id": "order_ids", "incident_id": "incident_ids", "vrm": "vrms",
                  "number": "numbers"}


ANCHOR_PREFIX = "anchor_"
WRITTEN_PREFIX = "written_"


def full_run_anchors() -> dict[str, None]:
    """The rules' entry parameters of a full run: every one null (graphsvc/rules/runner.py)."""
    return {ANCHOR_PREFIX + param: None for param in _PARAM_OF_KIND.values()}


@dataclass
class ChangeSet:
    """The keys of changed records, by kind (`person_id`, `address_id`, ...).

    `keys` holds every key. Of them, `named` holds those a changed row only named (the address
    of a changed incident, the ends of a changed residence): the record itself was not written,
    only a link to it. A rule that reads a kind only through links its other changed ends
    already bring in can leave those keys out (`narrowed`); a key also written stays in.
    `named_by` holds, for a row keyed by one record (a placement row), the keys it named by
    kind (its address, and the address it leaves when it moves), so that a rule can keep the
    keys named by the rows it reads them through and leave out the others.
    """

    keys: dict[str, set[str]] = field(default_factory=dict)
    named: dict[str, set[str]] = field(default_factory=dict)
    written: dict[str, set[str]] = field(default_factory=dict)
    named_by: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def add(self, kind: str, key: str | None) -> None:
        if kind in _PARAM_OF_KIND and key:
            self.keys.setdefault(kind, set()).add(str(key))
            self.written.setdefault(kind, set()).add(str(key))

    def add_all(self, kind: str, keys: Iterable[str | None], *, named: bool = False,
                by: str | None = None) -> None:
        """`add` for many keys of one kind, in one pass (an import adds millions); `named`:
        keys a changed row only names; `by`: the kind of record that row writes (placement_id
        for a placement row), for a row keyed by one record."""
        if kind in _PARAM_OF_KIND:
            values = set(map(str, filter(None, keys)))
            self.keys.setdefault(kind, set()).update(values)
            (self.named if named else self.written).setdefault(kind, set()).update(values)
            if named and by:
                self.named_by.setdefault(by, {}).setdefault(kind, set()).update(values)

    def add_label(self, label: str, key: str | None, *, named: bool = False,
                  by: str | None = None) -> None:
        """Add a key given the label of its node (`Person`, `Placement`, ...)."""
        self.add_all_of_label(label, [key], named=named, by=by)

    def add_all_of_label(self, label: str, keys: Iterable[str | None], *,
                         named: bool = False, by: str | None = None) -> None:
        """`add_label` for many keys of nodes of one label."""
        kind = _KIND_OF_LABEL.get(label)
        if kind:
            self.add_all(kind, keys, named=named, by=by)

    def add_keys(self, entity_keys: Iterable[str]) -> None:
        """Add `kind=value` keys, as flags spell them (grouped by kind first: an incremental
        run adds thousands, and a call of `add` each was a tenth of its Python time)."""
        by_kind: dict[str, list[str]] = {}
        for text in entity_keys:
            kind, _, value = text.partition("=")
            by_kind.setdefault(kind, []).append(value)
        for kind, values in by_kind.items():
            self.add_all(kind, values)

    def update(self, other: ChangeSet) -> None:
        for mine, theirs in ((self.keys, other.keys), (self.named, other.named),
                             (self.written, other.written)):
            for kind, keys in theirs.items():
                mine.setdefault(kind, set()).update(keys)
        for by, named in other.named_by.items():
            for kind, keys in named.items():
                self.named_by.setdefault(by, {}).setdefault(kind, set()).update(keys)

    def narrowed(self, named_kinds: Iterable[str], named_by: Iterable[str] = ()) -> ChangeSet:
        """The change set without the keys of other kinds than `named_kinds` that changed rows
        only named (never wrote), but for those named by rows of the kinds `named_by` (a
        placement row's addresses)."""
        kept, rows_kept = set(named_kinds), sorted(set(named_by))
        out = ChangeSet()
        for kind, keys in self.keys.items():
            only_named = set() if kind in kept else \
                self.named.get(kind, set()) - self.written.get(kind, set())
            for by in rows_kept:
                only_named -= self.named_by.get(by, {}).get(kind, set())
            out.add_all(kind, keys - only_named)
        return out

    def entity_keys(self) -> set[str]:
        return {entity_key(kind, key) for kind, keys in self.keys.items() for key in keys}

    def params(self, prefix: str = "") -> dict[str, list[str]]:
        """One list per kind, the parameters every scope statement receives (`person_ids`,
        ...), and of each kind the keys of records a changed row wrote itself (`written_
        person_ids`: a person row, not only a residence or incident row naming the person);
        with a prefix, only the rules' entry lists (`anchor_person_ids`, ...)."""
        out = {prefix + param: sorted(self.keys.get(kind, ())) for kind, param in
               _PARAM_OF_KIND.items()}
        if not prefix:
            out.update({WRITTEN_PREFIX + param: sorted(self.written.get(kind, ()))
                        for kind, param in _PARAM_OF_KIND.items()})
        return out

    def __len__(self) -> int:
        return sum(len(keys) for keys in self.keys.values())
