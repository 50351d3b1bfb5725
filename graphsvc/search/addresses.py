"""Find addresses by postcode (whole or partial, any spacing), UPRN or words of the address.

Like people, addresses are searched in memory: postcodes in a sorted list (a partial postcode is
a range), words with postings, so a free-text search never scans the graph.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

from graphsvc.importer.normalise import postcode_key
from graphsvc.search.index import cached
from graphsvc.search.normalise import name_tokens
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

WORD_CUTOFF = 0.75  # a misspelt street word this similar still counts


@dataclass
class AddressIndex:
    address_ids: list[str] = field(default_factory=list)
    postcodes: list[tuple[str, int]] = field(default_factory=list)  # sorted (postcode_key, index)
    by_uprn: dict[str, list[int]] = field(default_factory=dict)
    words: list[str] = field(default_factory=list)  # sorted distinct words
    postings: dict[str, list[int]] = field(default_factory=dict)
    word_counts: list[int] = field(default_factory=list)


def addresses_version(store: GraphStore) -> tuple[Any, ...]:
    row = store.read_one("read/search_addresses_version") or {}
    return row.get("addresses"), row.get("latest")


def build_address_index(store: GraphStore) -> AddressIndex:
    index = AddressIndex()
    for row in store.read("read/search_addresses_keys"):
        i = len(index.address_ids)
        index.address_ids.append(row["address_id"])
        if row.get("postcode_key"):
            index.postcodes.append((row["postcode_key"], i))
        if row.get("uprn"):
            index.by_uprn.setdefault(str(row["uprn"]), []).append(i)
        words = set(name_tokens(row.get("text_key") or ""))
        index.word_counts.append(len(words))
        for word in words:
            index.postings.setdefault(word, []).append(i)
    index.postcodes.sort()
    index.words = sorted(index.postings)
    log.info("Address search index: %d addresses.", len(index.address_ids))
    return index


def address_index(store: GraphStore) -> AddressIndex:
    """The current address index of the store's graph (built on first use, shared by threads)."""
    return cached("addresses", store, addresses_version, build_address_index)


@dataclass
class AddressMatch:
    address_id: str
    score: float
    reasons: list[str]


def find_by_postcode(store: GraphStore, text: str, limit: int = 50) -> list[AddressMatch]:
    """Addresses whose postcode is, or begins with, what was typed (spaces and case ignored)."""
    index = address_index(store)
    key = postcode_key(text)
    if not key:
        return []
    start = bisect.bisect_left(index.postcodes, (key, -1))
    found: list[AddressMatch] = []
    for pc, i in index.postcodes[start:]:
        if not pc.startswith(key) or len(found) >= limit:
            break
        exact = pc == key
        found.append(AddressMatch(index.address_ids[i], 1.0 if exact else 0.9,
                                  [f"postcode {pc} {'matches' if exact else 'begins ' + key}"]))
    return found


def find_by_uprn(store: GraphStore, uprn: str) -> list[AddressMatch]:
    index = address_index(store)
    key = str(int(uprn)) if uprn.strip().isdigit() else ""
    return [AddressMatch(index.address_ids[i], 1.0, [f"UPRN {key} matches"])
            for i in index.by_uprn.get(key, [])]


def _word_matches(index: AddressIndex, word: str) -> dict[str, float]:
    """Address words equal to, beginning with, or (for longer words) close to a typed word."""
    found = {word: 1.0} if word in index.postings else {}
    start = bisect.bisect_left(index.words, word)
    for w in index.words[start:start + 200]:
        if not w.startswith(word):
            break
        found.setdefault(w, 0.95)
    if len(word) >= 4:
        for w, score, _ in process.extract(word, index.words, scorer=OSA.normalized_similarity,
                                           score_cutoff=WORD_CUTOFF, limit=20):
            found.setdefault(w, score)
    return found


def find_by_text(store: GraphStore, text: str, limit: int = 50) -> list[AddressMatch]:
    """Addresses holding every typed word (or a prefix or near spelling of it), best first."""
    index = address_index(store)
    words = name_tokens(text)
    if not words:
        return []
    scores: dict[int, float] | None = None
    # the rarest words first, so the candidate set shrinks quickly
    per_word = sorted((_word_matches(index, w) for w in words),
                      key=lambda m: sum(len(index.postings[x]) for x in m))
    for matches in per_word:
        hits: dict[int, float] = {}
        for w, s in matches.items():
            for i in index.postings[w]:
                if scores is None or i in scores:
                    hits[i] = max(hits.get(i, 0.0), s)
        scores = hits if scores is None else {i: scores[i] + s for i, s in hits.items()}
        if not scores:
            return []
    assert scores is not None
    ranked = sorted(scores.items(),
                    key=lambda item: (-item[1] / len(words), index.word_counts[item[0]],
                                      index.address_ids[item[0]]))
    typed = " ".join(words)
    return [AddressMatch(index.address_ids[i], round(s / len(words), 4),
                         [f"address words match '{typed}', {round(100 * s / len(words))}%"])
            for i, s in ranked[:limit]]


def details(store: GraphStore, address_ids: list[str]) -> dict[str, dict[str, Any]]:
    return {r["address_id"]: r for r in store.read("read/search_address_details",
                                                   address_ids=address_ids)}
