"""Flags in plain English: a summary sentence and evidence in words, naming people (with ages),
addresses and dates, each linked to its entity; internal ids never stand in for a name.

Interface (for the cluster page, minutes, referrals and entity pages):

    texts = describe_flags(store, ["order_breach:257feb05fa0248d8", ...], as_of=date.today())
    text = texts["order_breach:257feb05fa0248d8"]      # a FlagText
    text.title        # "Order breach: contact with a child"
    text.summary      # a Line: one sentence; str(text.summary) is plain text
    text.evidence     # tuple of Lines, one fact each
    text.subject      # EntityRef of the person it is chiefly about (the child first), or None
    text.address      # EntityRef of the address it is chiefly about, or None
    text.concerned    # ((role, EntityRef), ...) for the people, addresses, vehicles, phones

A Line is a tuple of parts, each a plain `str` or an `EntityRef` (`key` such as `person_id=P1`,
`kind` as in entity page URLs, `text` such as "Cara Child (13)"). Templates render parts with
the macro in `web/templates/_flag_text.html` (entities become links, the key is a tooltip);
`str(line)` gives the plain sentence for CSV and JSON. `describe_flag` does one flag;
`render_flag` is the pure part (a flag dict and the records it names → FlagText).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from graphsvc import model
from graphsvc.entity import flag_sentence
from graphsvc.errors import NotFound
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

SEVERITY_WORDS = {"critical": "critical", "high": "high", "medium": "medium"}
# Which concerned entity a flag is chiefly about: the first role found in these orders.
SUBJECT_ROLES = ("child", "offender", "order_subject", "adult", "suspect")
ADDRESS_ROLES = ("address", "placement_address", "child_address", "care_setting",
                 "found_at_address", "offender_address", "offender_home")
_KEY_KINDS = ("person_id", "address_id", "incident_id", "order_id", "placement_id", "plan_id")
PLACE_WORDS = {"childrens_home": "children's home", "foster_home": "foster home",
               "kinship_foster": "kinship foster"}
RELATIONS = {"associate": "an associate of", "family": "family of", "partner": "the partner of",
             "seen_with": "seen with"}
ORDER_TYPES = {"shpo": "sexual harm prevention order", "sro": "sexual risk order",
               "cawn": "child abduction warning notice",
               "dvpo": "domestic violence protection order", "restraining": "restraining order",
               "non_molestation": "non-molestation order"}


@dataclass(frozen=True)
class EntityRef:
    """A person, address or other record as a reader sees it, with its key kept for the link."""

    key: str
    kind: str
    text: str

    def __str__(self) -> str:
        return self.text


class Line(tuple):
    """One sentence as parts: plain text and EntityRefs. `str(line)` is the plain sentence."""

    def __str__(self) -> str:
        return "".join(str(p) for p in self)

    @property
    def entities(self) -> list[EntityRef]:
        return [p for p in self if isinstance(p, EntityRef)]


@dataclass(frozen=True)
class FlagText:
    """A flag in words: what a meeting, a minute or a referral says about it."""

    flag_id: str
    rule_id: str
    title: str
    severity: str
    status: str
    summary: Line
    evidence: tuple[Line, ...]
    subject: EntityRef | None
    address: EntityRef | None
    entities: tuple[EntityRef, ...]
    # (role, entity) for each person, address, vehicle and phone it concerns (role as the rule
    # gave it: child, offender, order_subject, adult, suspect, address, ...).
    concerned: tuple[tuple[str, EntityRef], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """Plain values for JSON: sentences as text, entities with their keys."""
        return {"flag_id": self.flag_id, "rule_id": self.rule_id, "title": self.title,
                "severity": self.severity, "status": self.status,
                "summary": str(self.summary), "evidence": [str(x) for x in self.evidence],
                "subject": _ref_dict(self.subject), "address": _ref_dict(self.address)}


def _ref_dict(ref: EntityRef | None) -> dict[str, str] | None:
    return {"key": ref.key, "text": ref.text} if ref else None


# ---- reading -------------------------------------------------------------------------------


def describe_flags(store: GraphStore, flag_ids: Iterable[str], *,
                   as_of: date | None = None) -> dict[str, FlagText]:
    """Every flag found of these ids in words, keyed by flag id (two graph reads in all)."""
    as_of = as_of or date.today()
    ids = sorted(set(flag_ids))
    if not ids:
        return {}
    flags = store.read("read/flags_for_text", flag_ids=ids)
    for flag in flags:
        flag["evidence"] = decode(flag.pop("evidence_json", None))
        flag["concerned"] = [c for c in flag.get("concerned") or [] if c.get("key")]
    records = read_records(store, (k for f in flags for k in keys_named(f)))
    return {f["flag_id"]: render_flag(f, records, as_of) for f in flags}


def describe_flag(store: GraphStore, flag_id: str, *, as_of: date | None = None) -> FlagText:
    """One flag in words; NotFound when there is no such flag."""
    found = describe_flags(store, [flag_id], as_of=as_of)
    if flag_id not in found:
        raise NotFound(f"There is no flag {flag_id!r}.")
    return found[flag_id]


def read_records(store: GraphStore, keys: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The records behind `label_key=value` keys (people, addresses, incidents, orders,
    placements, plans), each with its `labels`, keyed by key."""
    wanted: dict[str, set[str]] = {k: set() for k in _KEY_KINDS}
    for key in keys:
        prefix, _, value = key.partition("=")
        if prefix in wanted and value:
            wanted[prefix].add(value)
    if not any(wanted.values()):
        return {}
    rows = store.read("read/records_by_keys",
                      **{f"{k.removesuffix('_id')}_ids": sorted(v) for k, v in wanted.items()})
    return {r["key"]: {**(r["record"] or {}), "labels": r["labels"]} for r in rows}


def decode(text: str | None) -> dict[str, Any]:
    """A flag's evidence JSON as a dict (text that is not JSON is kept under `text`)."""
    if not text:
        return {}
    try:
        value = json.loads(text)
    except ValueError:
        return {"text": text}
    return value if isinstance(value, dict) else {"value": value}


def keys_named(flag: Mapping[str, Any]) -> set[str]:
    """Every record key a flag names: what it concerns and what its evidence refers to."""
    keys = {c["key"] for c in flag.get("concerned") or []}
    ev = flag.get("evidence") or {}
    for incident in ev.get("incidents") or []:
        keys.add(f"incident_id={incident.get('incident_id')}")
        keys.update(f"person_id={p}" for p in incident.get("children_present") or [])
    for child in ev.get("children") or []:
        if not isinstance(child, dict):  # a list of person ids (offender_unnotified_address)
            keys.add(f"person_id={child}")
            continue
        keys.add(f"person_id={child.get('child_id')}")
        for via in child.get("via") or []:
            kind, _, ref = str(via).partition(":")
            if kind != "association":
                keys.add(f"incident_id={ref}")
    for contact in ev.get("contacts") or []:
        if contact.get("via") == "incident":
            keys.add(f"incident_id={contact.get('ref')}")
    for name in ("victims", "suspects", "children_living", "children_present"):
        keys.update(f"person_id={p}" for p in ev.get(name) or [])
    for name in ("missing_incidents", "cse_concerns"):
        keys.update(f"incident_id={i}" for i in ev.get(name) or [])
    for episode in ev.get("episodes") or []:
        keys.add(f"incident_id={episode.get('incident_id')}")
    if ev.get("incident_id"):
        keys.add(f"incident_id={ev['incident_id']}")
    for name in ("missing_from", "register_addresses"):
        keys.update(f"address_id={a}" for a in ev.get(name) or [])
    return keys


# ---- words ---------------------------------------------------------------------------------


def long_date(value: date | datetime | str | None) -> str:
    """`2025-02-01` → `1 February 2025`; a datetime keeps its time (`1 February 2025, 21:30`).

    >>> long_date("2025-02-01T21:30:00"), long_date(date(2024, 12, 9)), long_date(None)
    ('1 February 2025, 21:30', '9 December 2024', 'an unknown date')
    """
    if value is None or value == "":
        return "an unknown date"
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    text = f"{value.day} {value.strftime('%B %Y')}"
    if isinstance(value, datetime) and (value.hour or value.minute):
        text += f", {value.strftime('%H:%M')}"
    return text


def age_on(date_of_birth: date | str | None, as_of: date) -> int | None:
    """Whole years from a date of birth to as_of.

    >>> age_on("2011-04-02", date(2025, 4, 1)), age_on("2011-04-02", date(2025, 4, 2))
    (13, 14)
    """
    if not date_of_birth:
        return None
    born = date.fromisoformat(date_of_birth) if isinstance(date_of_birth, str) else date_of_birth
    if isinstance(born, datetime):
        born = born.date()
    return as_of.year - born.year - ((as_of.month, as_of.day) < (born.month, born.day))


def words(value: str | None) -> str:
    """`very_high` → `very high`."""
    return (value or "").replace("_", " ")


def incident_words(incident_type: str | None) -> str:
    """`cse_concern` → `CSE concern`; other types as words."""
    return "CSE concern" if incident_type == "cse_concern" else words(incident_type)


def plural(n: int, one: str, many: str | None = None) -> str:
    """`3 incidents`, `1 incident`."""
    return f"{n} {one if n == 1 else (many or one + 's')}"


def join(items: list[Any]) -> list[Any]:
    """Parts joined as English: [a] , [a, ' and ', b], [a, ', ', b, ' and ', c]."""
    out: list[Any] = []
    for i, item in enumerate(items):
        if i:
            out.append(" and " if i == len(items) - 1 else ", ")
        out.append(item)
    return out


class _Names:
    """Turns keys into EntityRefs with names, ages and addresses from the records read."""

    def __init__(self, records: Mapping[str, Mapping[str, Any]], as_of: date) -> None:
        self.records = records
        self.as_of = as_of

    def ref(self, key: str, text: str | None = None) -> EntityRef:
        """The entity of `key`, described (or shown as `text`, e.g. only a date)."""
        prefix, _, value = key.partition("=")
        kind = model.KIND_OF_KEY.get(prefix, "other")
        rec = self.records.get(key)
        return EntityRef(key, kind, text or self._text(prefix, value, rec))

    def on(self, incident_id: str) -> EntityRef:
        """An incident shown as its date (`1 February 2025`), linked to it."""
        rec = self.record(f"incident_id={incident_id}")
        return self.incident(incident_id, long_date(rec.get("occurred_on")
                                                    or rec.get("occurred_at")))

    def person(self, person_id: str) -> EntityRef:
        return self.ref(f"person_id={person_id}")

    def address(self, address_id: str) -> EntityRef:
        return self.ref(f"address_id={address_id}")

    def incident(self, incident_id: str, text: str | None = None) -> EntityRef:
        return self.ref(f"incident_id={incident_id}", text)

    def record(self, key: str) -> Mapping[str, Any]:
        return self.records.get(key) or {}

    def _text(self, prefix: str, value: str, rec: Mapping[str, Any] | None) -> str:
        if prefix == "vrm":
            return f"vehicle {value}"
        if prefix == "number":
            return f"phone {value}"
        if rec is None:
            return {"person_id": "a person", "address_id": "an address",
                    "incident_id": "an incident", "order_id": "an order",
                    "placement_id": "a placement", "plan_id": "a protection plan"
                    }.get(prefix, "a record") + " not in the graph"
        if prefix == "person_id":
            name = " ".join(p for p in (rec.get("given_name"), rec.get("family_name")) if p)
            age = age_on(rec.get("date_of_birth"), self.as_of)
            return f"{name or 'a person with no recorded name'}" + (f" ({age})" if age is not None
                                                                    else "")
        if prefix == "address_id":
            town = " ".join(p for p in (rec.get("town"), rec.get("postcode")) if p)
            return ", ".join(p for p in (rec.get("line1"), rec.get("line2"), town) if p) \
                or "an address with no recorded lines"
        if prefix == "incident_id":
            kind = words(rec.get("incident_type")) or "incident"
            what = {"missing": "missing episode", "cse_concern": "CSE concern",
                    "domestic_abuse": "domestic abuse incident"}.get(rec.get("incident_type"),
                                                                     kind)
            return f"{what} of {long_date(rec.get('occurred_on') or rec.get('occurred_at'))}"
        if prefix == "order_id":
            kind = ORDER_TYPES.get(rec.get("order_type"), words(rec.get("order_type")) or "order")
            return f"{kind} from {long_date(rec.get('start_date'))}"
        if prefix == "placement_id":
            kind = words(PLACE_WORDS.get(rec.get("placement_type"),
                               rec.get("placement_type"))) or "a"
            by = rec.get("placing_authority")
            return f"{kind} placement from {long_date(rec.get('start_date'))}" + \
                (f" by {by}" if by else "")
        if prefix == "plan_id":
            return f"child protection plan ({words(rec.get('category'))}) from " \
                   f"{long_date(rec.get('start_date'))}"
        return value


def _role_keys(flag: Mapping[str, Any], *roles: str) -> list[str]:
    return sorted({c["key"] for c in flag.get("concerned") or [] if c.get("role") in roles})


def _first(flag: Mapping[str, Any], roles: Iterable[str], prefix: str) -> str | None:
    for role in roles:
        keys = [k for k in _role_keys(flag, role) if k.startswith(prefix + "=")]
        if keys:
            return keys[0]
    return None


def render_flag(flag: Mapping[str, Any], records: Mapping[str, Mapping[str, Any]],
                as_of: date) -> FlagText:
    """A flag (`flag_id`, `rule_id`, `severity`, `status`, `summary`, decoded `evidence`,
    `concerned` [{key, role}]) and the records it names → FlagText. Evidence without the facts
    its rule's writer needs is described generically (the stored sentence, label: value)."""
    names = _Names(records, as_of)
    ev = flag.get("evidence") or {}
    writer = _WRITERS.get(flag.get("rule_id") or "", _generic)
    try:
        summary, evidence = writer(flag, ev, names)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError):
        log.warning("Flag %s has evidence of an unexpected shape; described generically.",
                    flag.get("flag_id"))
        summary, evidence = _generic(flag, ev, names)
    subject = _first(flag, SUBJECT_ROLES, "person_id")
    address = _first(flag, ADDRESS_ROLES, "address_id")
    concerned = tuple(dict.fromkeys(
        (c.get("role") or "", names.ref(c["key"])) for c in flag.get("concerned") or []
        if c["key"].split("=", 1)[0] in ("person_id", "address_id", "vrm", "number")))
    entities = tuple(ref for _, ref in concerned)
    return FlagText(flag_id=flag["flag_id"], rule_id=flag.get("rule_id") or "",
                    title=model.rule_title(flag.get("rule_id"), words(flag.get("rule_id"))),
                    severity=flag.get("severity") or "", status=flag.get("status") or "",
                    summary=Line(summary), evidence=tuple(Line(e) for e in evidence),
                    subject=names.ref(subject) if subject else None,
                    address=names.ref(address) if address else None,
                    entities=tuple(dict.fromkeys(entities)), concerned=concerned)


# ---- one writer per rule: (flag, evidence, names) → (summary parts, [evidence parts]) ------

Parts = list[Any]


def _people(flag: Mapping[str, Any], names: _Names, *roles: str) -> list[EntityRef]:
    return [names.ref(k) for k in _role_keys(flag, *roles) if k.startswith("person_id=")]


def _ooa(flag, ev, names):
    child = _people(flag, names, "child")[0]
    adult_role = "offender" if ev.get("high_risk_offender") else "order_subject"
    adult = (_people(flag, names, adult_role) or _people(flag, names, "offender",
                                                        "order_subject"))[0]
    who = (f", a registered offender with a {words(ev.get('rosh_level'))} risk of serious harm"
           if ev.get("high_risk_offender") else
           ", who is under an order that forbids contact with children")
    pairs = ev.get("pairs") or []
    first = pairs[0] if pairs else {}
    summary = [child, " is placed out of area"]
    if first.get("placement_address_id"):
        summary += [" at ", names.address(first["placement_address_id"])]
    summary += [f", {round(ev.get('distance_m') or 0):,} m from the home of ", adult, who, "."]
    lines: list[Parts] = []
    for pair in pairs:
        lines.append(["The ", names.ref(f"placement_id={pair['placement_id']}"), " at ",
                      names.address(pair["placement_address_id"]),
                      f" is {round(pair.get('distance_m') or 0):,} m from the home of ", adult,
                      " at ",
                      names.address(pair["home_address_id"]),
                      f" (the rule looks within {ev.get('radius_m', '?'):,} m)."])
    for plan in ev.get("plans") or []:
        lines.append([child, " is on a ", names.ref(f"plan_id={plan}"), "."])
    for incident in ev.get("missing_incidents") or []:
        lines.append([child, " went missing on ", names.on(incident), "."])
    for order in ev.get("orders") or []:
        lines.append([adult, " is under a ", names.ref(f"order_id={order}"), "."])
    return summary, lines


def _household(flag, ev, names):
    offender = _people(flag, names, "offender")[0]
    child = _people(flag, names, "child")[0]
    overlaps = ev.get("overlaps") or []
    first = overlaps[0] if overlaps else {}
    rosh = f" (risk of serious harm {words(ev.get('rosh_level'))})" if ev.get("rosh_level") else ""
    summary = [offender, f", a registered offender{rosh}, has a current "
               f"{words(first.get('offender_link')) or 'link'} at "]
    if first.get("same_address", True):
        summary += [names.address(first.get("child_address_id") or ""), ", where ", child,
                    " lives" if first.get("child_link") != "placement" else " is placed"]
    else:
        summary += [names.address(first.get("offender_address_id") or ""),
                    ", the same property (UPRN) as ", child, "'s ",
                    "placement" if first.get("child_link") == "placement" else "home", " at ",
                    names.address(first.get("child_address_id") or "")]
    extras = (["looked after"] if ev.get("placements") else []) + \
        (["on a protection plan"] if ev.get("plans") else [])
    summary += ([" (", child.text.split(" (")[0], " is ", " and ".join(extras), ")"]
                if extras else []) + ["."]
    lines: list[Parts] = []
    for o in overlaps:
        lines.append([offender, f": {words(o.get('offender_link'))} at ",
                      names.address(o["offender_address_id"]), "; ", child, ": ",
                      "placed" if o.get("child_link") == "placement" else "lives", " at ",
                      names.address(o["child_address_id"]),
                      " (the same address)." if o.get("same_address")
                      else f" (same UPRN {o.get('uprn') or ''})."])
    for placement in ev.get("placements") or []:
        lines.append([child, " is in a ", names.ref(f"placement_id={placement}"), "."])
    for plan in ev.get("plans") or []:
        lines.append([child, " is on a ", names.ref(f"plan_id={plan}"), "."])
    return summary, lines


def _care_setting(flag, ev, names):
    person = _people(flag, names, "offender", "order_subject")[0]
    place_key = _first(flag, ("care_setting",), "address_id")
    place = names.ref(place_key) if place_key else "a care setting"
    links = [str(x).partition(":") for x in ev.get("links") or []]
    lives = any(how == "lives_at" for how, _, _ in links)
    who = ", a registered offender," if ev.get("registered") else \
        ", who is subject to an order,"
    kind = words(PLACE_WORDS.get(ev.get("address_type"), ev.get("address_type"))) \
        or "care placement address"
    summary = [person, who, " lives at " if lives else " is associated with ", place,
               f" ({kind})."]
    lines: list[Parts] = []
    for how, _, detail in links:
        if how == "lives_at":
            lines.append([person, f" lives there ({words(detail)})."])
        else:
            lines.append([person, f" is linked to it by intelligence ({words(detail)})."])
    if ev.get("rosh_level"):
        lines.append([person, f" has a {words(ev['rosh_level'])} risk of serious harm."])
    for order in ev.get("orders") or []:
        lines.append([person, " is under a ", names.ref(f"order_id={order}"), "."])
    return summary, lines


def _order_breach(flag, ev, names):
    subject = _people(flag, names, "order_subject")[0]
    child = _people(flag, names, "child")[0]
    orders = ev.get("orders") or []
    contacts = ev["contacts"]
    kind = ORDER_TYPES.get(orders[0].get("order_type"), "an order") if orders else "an order"
    summary = [subject, " was in contact with ", child, f" ({plural(len(contacts), 'contact')}) "
               f"while a {kind} forbade it."]
    lines: list[Parts] = []
    for order in orders:
        until = f" to {long_date(order.get('end_date'))}" if order.get("end_date") else \
            ", with no end date"
        lines.append([subject, " is under a ",
                      ORDER_TYPES.get(order.get("order_type"), words(order.get("order_type"))),
                      f" from {long_date(order.get('start_date'))}{until}."])
    for contact in sorted(contacts, key=lambda c: str(c.get("on") or "")):
        if contact.get("via") == "incident":
            rec = names.record(f"incident_id={contact['ref']}")
            what = incident_words(rec.get("incident_type"))
            lines.append(["On ", names.on(contact["ref"]), ": ", subject, " and ", child,
                          f" were both in an incident ({what})."])
        else:
            relation = RELATIONS.get(contact.get("ref"), f"{words(contact.get('ref'))} of")
            lines.append([f"On {long_date(contact.get('on'))}: intelligence records ", subject,
                          f" as {relation} ", child, "."])
    return summary, lines


def _repeat_missing(flag, ev, names):
    child = _people(flag, names, "child")[0]
    episodes = sorted(ev["episodes"], key=lambda e: str(e.get("occurred_on")))
    summary = [child, f" went missing {plural(len(episodes), 'time')} in "
               f"{ev.get('window_days', '?')} days"]
    if ev.get("out_of_area_placements"):
        summary.append(", placed out of area")
    if ev.get("cse_concerns"):
        summary.append(", with a CSE concern")
    summary.append(".")
    lines: list[Parts] = [["Went missing on ", names.on(e["incident_id"]), "."]
                          for e in episodes]
    for cse in ev.get("cse_concerns") or []:
        lines.append(["CSE concern recorded on ", names.on(cse), "."])
    for placement in ev.get("out_of_area_placements") or []:
        lines.append([child, " is placed out of area: ",
                      names.ref(f"placement_id={placement}"), "."])
    return summary, lines


def _via_words(via: str, names: _Names) -> Parts:
    kind, _, ref = via.partition(":")
    if kind == "association":
        return [f"recorded by intelligence as {words(ref)}"]
    if kind == "found_at":
        return ["found there after going missing on ", names.on(ref)]
    if kind == "found_with":
        return ["found with them after going missing on ", names.on(ref)]
    rec = names.record(f"incident_id={ref}")
    what = incident_words(rec.get("incident_type")) or "incident"
    return [f"named as {words(kind)} in the {what} of ", names.on(ref)]


def _shared_link(flag, ev, names):
    hub = ev["hub"]  # evidence without its hub is described generically
    hub_ref = names.ref(f"{hub.get('label_key')}={hub.get('key')}")
    children = ev.get("children") or []
    what = {"adult": "the same adult, ", "vehicle": "the same ", "phone": "the same ",
            "found_at_address": "the same address, "}.get(hub.get("role"), "the same ")
    summary = [f"{plural(len(children), 'child', 'children')} who went missing or gave a CSE "
               f"concern in {ev.get('window_days', '?')} days are linked to {what}", hub_ref, "."]
    lines: list[Parts] = []
    for child in sorted(children, key=lambda c: str(c.get("child_id"))):
        count = plural(child.get("concern_count") or 0, "missing episode or CSE concern",
                       "missing episodes or CSE concerns")
        line: Parts = [names.person(child["child_id"]), f": {count}; "]
        vias = [_via_words(str(v), names) for v in child.get("via") or []]
        for i, via in enumerate(vias):
            line += ([", "] if i else []) + via
        lines.append(line + ["."])
    return summary, lines


def _unnotified(flag, ev, names):
    child = _people(flag, names, "child")[0]
    place_key = _first(flag, ("care_setting", "placement_address"), "address_id")
    place = names.ref(place_key) if place_key else "a care setting"
    lines: list[Parts] = []
    summary: Parts = []
    placement = ev.get("placement")
    if placement:
        told = placement.get("police_notified_date")
        summary = [child, "'s placement at ", place,
                   f" began on {long_date(placement.get('start_date'))}; the police "]
        summary.append(f"were told on {long_date(told)}, {placement.get('days_to_notify')} days "
                       "later." if told else "have not been told of it.")
        lines.append(["The placement: ",
                      names.ref(f"placement_id={placement.get('placement_id')}"),
                      f"; the police should be told within {placement.get('notice_days', 14)} "
                      "days."])
    incidents = ev.get("incidents") or []
    if incidents:
        kind = words(PLACE_WORDS.get(ev.get("address_type"), ev.get("address_type"))) \
            or "care setting"
        summary = summary + ([" "] if summary else []) + \
            [child, " was in ", plural(len(incidents), "incident"), " at ", place,
             f" ({kind}), where no placement of the child is known."]
        for incident in sorted(incidents, key=lambda i: str(i.get("occurred_on"))):
            rec = names.record(f"incident_id={incident['incident_id']}")
            what = incident_words(rec.get("incident_type")) or "incident"
            lines.append([names.on(incident["incident_id"]),
                          f": {what}, the child as {words(incident.get('role'))}."])
    return summary, lines


def _domestic(flag, ev, names):
    place_key = _first(flag, ("address",), "address_id")
    place = names.ref(place_key) if place_key else "an address"
    incidents = sorted(ev["incidents"], key=lambda i: str(i.get("occurred_on")))
    children = _people(flag, names, "child")
    summary = [plural(len(incidents), "domestic abuse incident"),
               f" in {ev.get('window_days', '?')} days at ", place, ", with "]
    summary += join(children) if children else ["a child"]
    summary += [" present or living there; none was graded high, so only the cumulative "
                "pattern shows the risk."]
    lines: list[Parts] = []
    for incident in incidents:
        rec = names.record(f"incident_id={incident['incident_id']}")
        grade = words(incident.get("risk_grade")) or "not graded"
        dash = f", DASH {rec['dash_score']}" if rec.get("dash_score") is not None else ""
        line: Parts = [names.on(incident["incident_id"]),
                       f": domestic abuse, graded {grade}{dash}"]
        present = [names.person(p) for p in incident.get("children_present") or []]
        if present:
            line += ["; present: "] + join(present)
        lines.append(line + ["."])
    living = [names.person(p) for p in ev.get("children_living") or []]
    if living:
        lines.append(join(living) + [" live" if len(living) > 1 else " lives", " there."])
    return summary, lines


def _overdue_interview(flag, ev, names):
    child = _people(flag, names, "child")[0]
    incident = names.incident(ev["incident_id"])
    summary = [child, f" came back from a missing episode on {long_date(ev.get('returned_at'))}"
               f" and has had no return home interview (due within "
               f"{ev.get('overdue_hours', 72)} hours)."]
    lines: list[Parts] = [[f"Went missing on {long_date(ev.get('occurred_at'))}", *(
        [" from "] + join([names.address(a) for a in ev.get("missing_from") or []])
        if ev.get("missing_from") else []), " (", incident, ")."],
        [f"Returned on {long_date(ev.get('returned_at'))}."]]
    return summary, lines


def _long_investigation(flag, ev, names):
    victims = [names.person(p) for p in ev.get("victims") or []]
    suspects = [names.person(p) for p in ev.get("suspects") or []]
    first = ev["first_reported"]
    days = ""
    if first and ev.get("as_of"):
        try:
            span = date.fromisoformat(str(ev["as_of"])[:10]) - date.fromisoformat(str(first)[:10])
            days = f" ({span.days} days)"
        except ValueError:
            days = ""
    crime = f" (crime {ev['crime_ref']})" if ev.get("crime_ref") else ""
    summary = [f"The {words(ev.get('incident_type'))} investigation{crime} with child victim"
               f"{'s' if len(victims) > 1 else ''} "] + (join(victims) or ["unknown"]) + \
        [f" has been open since {long_date(first)}{days}."]
    lines: list[Parts] = [["Victim: ", v, "."] for v in victims]
    lines += [["Suspect: ", s, "."] for s in suspects]
    for key in _role_keys(flag, "address"):
        lines.append(["Where: ", names.ref(key), "."])
    return summary, lines


def _generic(flag, ev, names):
    """Any other rule: its stored sentence, and its evidence as label: value lines where keys
    that name records become names."""
    summary: Parts = [flag.get("summary") or model.rule_title(flag.get("rule_id"),
                                                              "A flag was raised.")]
    lines: list[Parts] = []
    for name, value in ev.items():
        if name == "as_of":
            continue
        label = words(str(name)).capitalize()
        lines.append([f"{label}: ", json.dumps(value, default=str)
                      if isinstance(value, (dict, list)) else str(value), "."])
    return summary, lines


STAY_WORDS = {"home": "a home", "temporary": "a temporary stay",
              "notified_stay": "a notified stay", "household_contact": "household contact"}
SOURCE_WORDS = {"visor": "ViSOR", "rms": "the records system (RMS)",
                "childrens_services": "children's services"}


def _unnotified_address(flag, ev, names):
    stays = ev.get("stays") or []
    others = {f"person_id={s.get('record')}" for s in stays}
    register = [k for k in _role_keys(flag, "offender")
                if k.startswith("person_id=") and k not in others]
    offender = names.ref(register[0]) if register else _people(flag, names, "offender")[0]
    place_key = _first(flag, ("unnotified_address",), "address_id")
    place = names.ref(place_key) if place_key else "an address"
    rosh = f" (risk of serious harm {words(ev.get('rosh_level'))})" if ev.get("rosh_level") else ""
    children = _people(flag, names, "child")
    summary: Parts = [offender, f", a registered offender{rosh}, is recorded as living or "
                      "staying at ", place, ", an address the sex offender register does not "
                      "hold for them"]
    summary += ([", where "] + join(children) + [" lives." if len(children) == 1 else " live."]
                if children else ["."])
    lines: list[Parts] = []
    for stay in sorted(stays, key=lambda s: str(s.get("start_date") or "")):
        since = (f" since {long_date(stay.get('start_date'))}" if stay.get("start_date")
                 else " (no start date recorded)")
        lines.append([SOURCE_WORDS.get(stay.get("source"), words(stay.get("source")) or
                                       "Another system").capitalize()
                      if stay.get("source") != "visor" else "ViSOR",
                      " records ", names.ref(f"person_id={stay.get('record')}"),
                      ", linked to the register's record, with ",
                      STAY_WORDS.get(stay.get("residence_type") or "home", "a stay"),
                      f" there{since}."])
    held = ev.get("register_addresses") or []
    lines.append(["The register holds "] + (join([names.address(a) for a in held])
                                            if held else ["no current address"]) + [
        f"; a change of home address must be notified within {ev.get('notify_days', 3)} days."])
    return summary, lines


_WRITERS = {
    "offender_unnotified_address": _unnotified_address,
    "ooa_child_near_high_risk_offender": _ooa,
    "offender_household_with_child": _household,
    "offender_linked_to_care_setting": _care_setting,
    "order_breach": _order_breach,
    "repeat_missing_child": _repeat_missing,
    "shared_exploitation_link": _shared_link,
    "unnotified_placement": _unnotified,
    "repeat_domestic_abuse_with_child": _domestic,
    "overdue_return_interview": _overdue_interview,
    "long_running_child_abuse_investigation": _long_investigation,
}


def flag_words(store: GraphStore, flags: Iterable[Mapping[str, Any]]
               ) -> Callable[[Mapping[str, Any], Mapping[str, str]], str]:
    """`say(flag, names)` for the pages that list flags: each flag's summary in words, with
    names, ages, addresses and dates (graphsvc.flag_text, read once for all the flags); a flag
    that cannot be read in words falls back to its summary with ids replaced by names."""
    texts = describe_flags(store, [f["flag_id"] for f in flags if f.get("flag_id")])

    def say(flag: Mapping[str, Any], names: Mapping[str, str]) -> str:
        text = texts.get(str(flag.get("flag_id")))
        return str(text.summary) if text else flag_sentence(flag, names)

    return say
