"""Find addresses by postcode (whole or partial, any spacing), UPRN or words of the address.

Like people, addresses are searched in memory: postcodes in a sorted list (a partial postcode is
a range), words with postings, so a free-text search never scans the graph. The postings are
arrays, so that the addresses holding a common word (tens of thousands hold "close" or "st")
are scored in a few vector operations: as Python dicts, one search of "elm close" took
0.1-0.4 s on a county at load 9.
"""

from __future__ import annotations

import bisect
import logging
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from graphsvc.importer.normalise import postcode_key
from graphsvc.search import postings
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
    # filled by finish(): postings as arrays; each address's place in address_id order
    posting_arrays: dict[str, np.ndarray] = field(default_factory=dict)
    id_order: np.ndarray | None = None
    count_array: np.ndarray | None = None
    _near_length: dict[int, list[str]] = field(default_factory=dict)

    def words_near_length(self, length: int) -> list[str]:
        """The words (in order) whose length lets them be WORD_CUTOFF similar to a word of
        `length`: at least |difference in length| edits apart, out of the longer length. Most
        address words are three letters long (postcode halves), which no typo of a word of five
        or more letters comes near, so those are not compared at all."""
        near = self._near_length.get(length)
        if near is None:
            near = self._near_length[length] = [
                w for w in self.words
                if 1 - abs(len(w) - length) / max(len(w), length) >= WORD_CUTOFF - 1e-9]
        return near

    def add(self, row: dict[str, Any]) -> None:
        i = len(self.address_ids)
        self.address_ids.append(row["address_id"])
        if row.get("postcode_key"):
            self.postcodes.append((row["postcode_key"], i))
        if row.get("uprn"):
            self.by_uprn.setdefault(str(row["uprn"]), []).append(i)
        words = set(name_tokens(row.get("text_key") or ""))
        self.word_counts.append(len(words))
        for word in words:
            self.postings.setdefault(word, []).append(i)

    def finish(self) -> AddressIndex:
        self.postcodes.sort()
        self.words = sorted(self.postings)
        self.posting_arrays = {w: np.asarray(p, dtype=np.int32) for w, p in self.postings.items()}
        order = np.empty(len(self.address_ids), dtype=np.int64)
        order[sorted(range(len(self.address_ids)), key=self.address_ids.__getitem__)] = (
            np.arange(len(self.address_ids)))
        self.id_order = order
        self.count_array = np.asarray(self.word_counts, dtype=np.int64)
        return self


def addresses_version(store: GraphStore) -> tuple[Any, ...]:
    row = store.read_one("read/search_addresses_version") or {}
    return row.get("addresses"), row.get("latest")


def build_address_index(store: GraphStore) -> AddressIndex:
    index = AddressIndex()
    for row in store.read("read/search_addresses_keys"):
        index.add(row)
    log.info("Address search index: %d addresses.", len(index.address_ids))
    return index.finish()


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
        for w, score, _ in process.extract(word, index.words_near_length(len(word)),
                                           scorer=OSA.normalized_similarity,
                                           score_cutoff=WORD_CUTOFF, limit=20):
            found.setdefault(w, score)
    return found


def find_by_text(store: GraphStore, text: str, limit: int = 50) -> list[AddressMatch]:
    """Addresses holding every typed word (or a prefix or near spelling of it), best first: by
    the mean of each typed word's best match, then fewer words, then address_id."""
    return rank_addresses(address_index(store), text, limit)


def rank_addresses(index: AddressIndex, text: str, limit: int = 50) -> list[AddressMatch]:
    """The ranking itself, on a built index (pure: unit-testable without a graph)."""
    words = name_tokens(text)
    if not words:
        return []
    if index.id_order is None or index.count_array is None:
        index.finish()
    assert index.id_order is not None and index.count_array is not None
    # the rarest words first, so the candidate set shrinks quickly
    per_word = sorted((_word_matches(index, w) for w in words),
                      key=lambda m: sum(len(index.postings[x]) for x in m))
    size = len(index.address_ids)
    found, scores = postings.in_every(
        (postings.best_of(((index.posting_arrays[w], s) for w, s in matches.items()), size)
         for matches in per_word), size)
    if len(found) == 0:
        return []
    order = np.lexsort((index.id_order[found], index.count_array[found], -scores / len(words)))
    ranked, scores = found[order][:limit], scores[order][:limit]
    typed = " ".join(words)
    out = []
    for i, summed in zip(ranked.tolist(), scores.tolist(), strict=True):
        score = summed / len(words)
        out.append(AddressMatch(index.address_ids[i], round(score, 4),
                                [f"address words match '{typed}', {round(100 * score)}%"]))
    return out


def details(store: GraphStore, address_ids: list[str], *, flag_statuses: list[str]
            ) -> dict[str, dict[str, Any]]:
    """What a result shows of each address, with its flags of these statuses (`flags`)."""
    return {r["address_id"]: r for r in store.read("read/search_address_details",
                                                   address_ids=address_ids,
                                                   flag_statuses=flag_statuses)}
