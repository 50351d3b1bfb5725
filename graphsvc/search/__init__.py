"""Intelligence search: people, addresses, vehicles and phones, ranked, each saying why it matched.

`search_entities` is what a view calls: it checks the justification, searches, attaches open
flags and records the consultation in the audit log.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from graphsvc import audit, dates, validate
from graphsvc.dates import ADULT_AGE, age_on
from graphsvc.entity import captions
from graphsvc.errors import InputError
from graphsvc.flags import flag_rows_for_entities, live_statuses, ordered_flags
from graphsvc.identities.persons import records_of_persons
from graphsvc.search import addresses, people, references
from graphsvc.search.normalise import (
    looks_like_phone,
    looks_like_postcode,
    looks_like_vrm,
    phone_key,
    split_name_and_date,
    vrm_key,
)
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore
from graphsvc.timing import part

log = logging.getLogger(__name__)

KINDS = ("auto", "person", "address", "vehicle", "phone")
MAX_QUERY = 200


@dataclass
class Result:
    """One search hit, as a results page shows it."""

    kind: str  # person, address, vehicle, phone
    key: str  # the business key value (person_id, address_id, vrm, number)
    title: str
    details: list[str]
    score: float
    reasons: list[str]
    flags: list[dict[str, Any]] = field(default_factory=list)
    offender: bool = False
    age: int | None = None
    child: bool = False
    home_id: str | None = None  # a person's current home (address_id), linked from the result
    records: list[str] = field(default_factory=list)  # every record of a linked person

    @property
    def entity_keys(self) -> set[str]:
        """Its own key and those of the person's other linked records."""
        return {self.entity_key} | {f"person_id={x}" for x in self.records}

    @property
    def entity_key(self) -> str:
        return f"{KEY_PROPERTY[self.kind]}={self.key}"

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "entity_key": self.entity_key}


KEY_PROPERTY = {"person": "person_id", "address": "address_id", "vehicle": "vrm",
                "phone": "number"}


def guess_kind(text: str) -> str:
    """What an officer probably typed: a phone number, postcode, registration mark or a name."""
    stripped = text.strip()
    if looks_like_phone(stripped):
        return "phone"
    if re.fullmatch(r"\d{1,12}", stripped):
        return "address"  # a UPRN
    if looks_like_postcode(stripped):
        return "address"
    if looks_like_vrm(stripped):
        return "vehicle"
    name, born = split_name_and_date(stripped)
    if not name and born is None:
        return "address"
    return "person"


PER_PAGE = 25
MAX_HITS = 2_000  # matches counted per kind; beyond this the total reads "more than"
KIND_ORDER = ("person", "address", "vehicle", "phone")


@dataclass
class Hit:
    """A match before its details are read (only the page shown is read in full)."""

    kind: str
    key: str
    score: float
    reasons: list[str]
    users: list[dict[str, Any]] = field(default_factory=list)  # vehicles and phones: who, and how
    records: list[str] = field(default_factory=list)  # a person's records, when linked


@dataclass
class SearchPage:
    """One page of results with the true total across every kind searched."""

    results: list[Result]
    total: int
    page: int
    per_page: int
    by_kind: dict[str, int] = field(default_factory=dict)
    more_than: bool = False  # more may match than were counted: the total is a lower bound
    names: dict[str, str] = field(default_factory=dict)  # entity key → caption, for flag text
    # entity key → its live flags as read with the page's details (people and addresses), so
    # that `attach_flags` asks the graph only about the others
    flags_read: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.results else 0

    @property
    def last(self) -> int:
        return self.first + len(self.results) - 1 if self.results else 0

    @property
    def refine_hint(self) -> str:
        """What would narrow a long list: plain words for the kinds that filled it."""
        if self.total <= self.per_page:
            return ""
        hints = []
        if self.by_kind.get("person", 0) > self.per_page:
            hints.append("add a date of birth (1987, 1987-03 or 12/03/1987)")
        if self.by_kind.get("address", 0) > self.per_page:
            hints.append("add a town or postcode")
        if self.by_kind.get("vehicle", 0) + self.by_kind.get("phone", 0) > self.per_page:
            hints.append("type more of the number")
        return "Refine: " + "; or ".join(hints or ["choose what to look for"]) + "."


def search(store: GraphStore, text: str, kind: str = "auto", limit: int = PER_PAGE
           ) -> list[Result]:
    """Entities that fit `text`, best first (no audit: use `search_entities` from a view)."""
    return search_page(store, text, kind, per_page=limit).results


def search_page(store: GraphStore, text: str, kind: str = "auto", page: int = 1,
                per_page: int = PER_PAGE) -> SearchPage:
    """One page of the entities that fit `text`, ranked across kinds, with the true total.

    "auto" searches people, addresses (words, postcode, UPRN), vehicles and phones together:
    what was typed decides only which kind wins a tie, never what is looked at."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY:
        raise InputError(f"A search can be at most {MAX_QUERY} characters long.")
    if kind not in KINDS:
        raise InputError(f"Unknown search kind {kind!r}: choose one of {', '.join(KINDS)}.")
    if page < 1:
        raise InputError("Page numbers start at 1.")
    if not text:
        return SearchPage([], 0, page, per_page)
    kinds = _kinds_to_search(text) if kind == "auto" else (kind,)
    guessed = guess_kind(text) if kind == "auto" else kind
    hits: list[Hit] = []
    by_kind: dict[str, int] = {}
    more_than = False
    for k in kinds:
        found, capped = _HITS[k](store, text)
        by_kind[k] = len(found)
        more_than = more_than or capped or len(found) >= MAX_HITS
        if k == "person":
            found = _one_hit_per_person(store, found)
            by_kind[k] = len(found)
        hits.extend(found)
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    hits.sort(key=lambda h: (-round(h.score, 4), h.kind != guessed, order[h.kind], h.key))
    total = len(hits)
    pages = max(1, -(-total // per_page))
    if page > pages:
        raise InputError(f"There is no page {page}: these results fill {pages}.")
    shown = hits[(page - 1) * per_page: page * per_page]
    results, flags_read = _results(store, shown)
    return SearchPage(results, total, page, per_page, by_kind, more_than,
                      flags_read=flags_read)


def _kinds_to_search(text: str) -> tuple[str, ...]:
    """Every kind the text could name (a UPRN is also a phone prefix; a word also a street)."""
    kinds = ["address"]
    name, born = split_name_and_date(text)
    if name or born is not None or references.references(text):
        kinds.insert(0, "person")
    key = vrm_key(text)
    if (looks_like_vrm(text) or (2 <= len(key) <= 8 and any(c.isdigit() for c in key)
                                 and any(c.isalpha() for c in key))) and len(text.split()) <= 2:
        kinds.append("vehicle")
    digits = phone_key(text)
    if re.fullmatch(r"[\d\s()+\-]+", text) and len(digits) >= 5:
        kinds.append("phone")
    return tuple(kinds)


def _person_hits(store: GraphStore, text: str) -> tuple[list[Hit], bool]:
    by_ref = [Hit("person", person_id, 1.0, reasons)
              for person_id, reasons in references.find_people(store, text).items()]
    name, born = split_name_and_date(text)
    matches, capped = people.find_people_counted(store, name, born, limit=MAX_HITS)
    return by_ref + [Hit("person", m.person_id, m.score, m.reasons) for m in matches
                     if m.person_id not in {h.key for h in by_ref}], capped


def _one_hit_per_person(store: GraphStore, hits: list[Hit]) -> list[Hit]:
    """One hit per resolved person: linked records (SAME_AS) fold into their best-scoring
    hit, which lists every record of the person and the reasons of each."""
    linked = records_of_persons(store, [h.key for h in hits])
    best: dict[str, Hit] = {}
    out = []
    for hit in sorted(hits, key=lambda h: (-h.score, h.key)):
        records = linked.get(hit.key)
        if not records:
            out.append(hit)
            continue
        group = records[0]
        kept = best.get(group)
        if kept is None:
            best[group] = hit
            hit.records = records
            out.append(hit)
        else:
            kept.reasons += [f"{r} (record {hit.key})" for r in hit.reasons
                             if f"{r} (record {hit.key})" not in kept.reasons]
    return out


def _address_hits(store: GraphStore, text: str) -> tuple[list[Hit], bool]:
    stripped = text.strip()
    found: dict[str, Hit] = {}

    def add(matches: Iterable[addresses.AddressMatch]) -> None:
        for m in matches:
            hit = found.get(m.address_id)
            if hit is None:
                found[m.address_id] = Hit("address", m.address_id, m.score, list(m.reasons))
            else:
                hit.score = max(hit.score, m.score)
                hit.reasons += [r for r in m.reasons if r not in hit.reasons]

    if re.fullmatch(r"\d{1,12}", stripped):
        add(addresses.find_by_uprn(store, stripped))
    if looks_like_postcode(stripped):
        add(addresses.find_by_postcode(store, stripped, MAX_HITS))
    add(addresses.find_by_text(store, stripped, MAX_HITS))
    return list(found.values()), False


def _keyed_hits(kind: str, statement: str, param: str, key: Callable[[str], str],
                what: str) -> Callable[[GraphStore, str], tuple[list[Hit], bool]]:
    def find(store: GraphStore, text: str) -> tuple[list[Hit], bool]:
        wanted = key(text)
        if not wanted:
            return [], False
        hits = []
        for row in store.read(statement, **{param: wanted, "limit": MAX_HITS}):
            value = row[param]
            exact = value == wanted
            hits.append(Hit(kind, value, 1.0 if exact else 0.9,
                            [f"{what} {value} {'matches' if exact else 'begins ' + wanted}"],
                            users=[u for u in row.get("users") or [] if u and u.get("name")]))
        return hits, False
    return find


_HITS = {
    "person": _person_hits,
    "address": _address_hits,
    "vehicle": _keyed_hits("vehicle", "read/search_vehicles", "vrm", vrm_key,
                           "registration mark"),
    "phone": _keyed_hits("phone", "read/search_phones", "number", phone_key, "number"),
}


def _results(store: GraphStore, hits: list[Hit]
             ) -> tuple[list[Result], dict[str, list[dict[str, Any]]]]:
    """The page's hits with what a result shows, read from the graph for that page only, and
    the live flags read with them (entity key → flags; see `attach_flags`)."""
    wanted: dict[str, list[str]] = {k: [] for k in KIND_ORDER}
    for hit in hits:
        wanted[hit.kind].append(hit.key)
    wanted["person"] += [x for h in hits for x in h.records if x not in wanted["person"]]
    persons = {r["person_id"]: r for r in store.read(
        "read/search_people_details", person_ids=wanted["person"],
        flag_statuses=live_statuses())} if wanted["person"] else {}
    places = addresses.details(store, wanted["address"],
                               flag_statuses=live_statuses()) if wanted["address"] else {}
    flags_read = {f"person_id={k}": r["flags"] for k, r in persons.items()}
    flags_read.update({f"address_id={k}": r["flags"] for k, r in places.items()})
    results = []
    for hit in hits:
        if hit.kind == "person":
            row = persons.get(hit.key)
            if row is not None:  # else removed since the index was built
                results.append(_person_result(hit, row, [persons[x] for x in hit.records
                                                         if x in persons and x != hit.key]))
        elif hit.kind == "address":
            row = places.get(hit.key)
            if row is not None:
                results.append(_address_result(hit, row))
        else:
            linked = ", ".join(f"{u['name']} ({(u.get('relation') or 'linked').replace('_', ' ')})"
                               for u in hit.users)
            results.append(Result(hit.kind, hit.key, hit.key,
                                  [f"linked to {linked}"] if linked else [], hit.score,
                                  hit.reasons))
    return results, flags_read


def _person_result(hit: Hit, row: dict[str, Any], others: list[dict[str, Any]]) -> Result:
    """A person's result; `others`: the person's other linked records (one person, one hit)."""
    title = " ".join(x for x in (row.get("given_name"), row.get("family_name")) if x)
    age = age_on(row.get("date_of_birth"), dates.today())
    details = []
    if row.get("date_of_birth"):
        details.append(f"born {row['date_of_birth'].isoformat()}")  # the age is by the name
    if row.get("home_line1") or row.get("home_postcode"):
        details.append("lives at " + ", ".join(x for x in (row.get("home_line1"),
                                                            row.get("home_town"),
                                                            row.get("home_postcode")) if x))
    if row.get("aliases"):
        details.append("aliases: " + ", ".join(row["aliases"]))
    register = next((r for r in [row, *others] if r.get("offender")), None)
    if register is not None:
        details.append(f"registered offender (RoSH {register.get('rosh_level') or 'unknown'})")
    if others:
        details.append("one person in " + str(len(others) + 1) + " records: " + ", ".join(
            f"{r['person_id']} ({r.get('source') or 'no source'})" for r in [row, *others]))
    return Result("person", hit.key, title or hit.key, details, hit.score, hit.reasons,
                  offender=register is not None, age=age,
                  child=age is not None and age < ADULT_AGE, home_id=row.get("home_id"),
                  records=hit.records)


def _address_result(hit: Hit, row: dict[str, Any]) -> Result:
    title = ", ".join(x for x in (row.get("line1"), row.get("line2"), row.get("town"),
                                  row.get("postcode")) if x)
    details = [f"UPRN {row['uprn']}"] if row.get("uprn") else []
    if row.get("address_type") and row["address_type"] != "private":
        details.append(row["address_type"].replace("_", " "))
    return Result("address", hit.key, title or hit.key, details, hit.score, hit.reasons)


def attach_flags(store: GraphStore, results: list[Result],
                 flags_read: dict[str, list[dict[str, Any]]] | None = None) -> None:
    """Put each result's live flags on it (from the rules' flag store): those of `flags_read`
    (entity key → its flags, read with the page: `SearchPage.flags_read`) and, in one read,
    those of every other entity the results name."""
    if not results:
        return
    keys = sorted({k for r in results for k in r.entity_keys})
    known = flags_read or {}
    others = [k for k in keys if k not in known]
    flags = ordered_flags([*(f for k in keys if k in known for f in known[k]),
                           *(flag_rows_for_entities(store, others) if others else [])])
    for result in results:
        result.flags = [f for f in flags if result.entity_keys.intersection(_concerned(f))]


def check_justification(justification: str) -> str:
    """The reason or incident number a search needs (graphsvc.validate's rule)."""
    return validate.check_justification(
        justification, "Give the reason for this search or an incident number")


def search_entities(settings: Settings, store: GraphStore, *, user: str, role: str, text: str,
                    kind: str = "auto", justification: str, page: int = 1,
                    per_page: int = PER_PAGE) -> SearchPage:
    """Search, attach open flags, and record the consultation with its justification."""
    reason = check_justification(justification)
    with part("search"):
        found = search_page(store, text, kind, page, per_page)
    with part("flags"):
        attach_flags(store, found.results, found.flags_read)
        keys = [k for r in found.results for f in r.flags for k in _concerned(f)]
        if keys:
            found.names = captions(store, keys)
    asked: dict[str, Any] = {"text": text, "kind": kind}
    if page != 1:
        asked["page"] = page
    with part("audit"):
        audit.record(settings, user=user, role=role, kind="consultation", action="search",
                     asked=asked, shown=sorted({k for r in found.results for k in r.entity_keys}),
                     justification=reason)
    return found


def _concerned(flag: dict[str, Any]) -> list[str]:
    return list(flag.get("concerned_keys") or flag.get("entity_keys") or [])
