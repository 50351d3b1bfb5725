"""Find people by name (typos, transpositions, aliases, swapped names, diacritics) and birth date.

Candidates come from an in-memory index of every person's name words: each query word is
compared with the distinct name words (a few thousand) and the people holding the close ones are
scored whole. Every result says why it matched.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from graphsvc.search.index import cached
from graphsvc.search.normalise import PartialDate, name_tokens
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

WORD_CUTOFF = 0.6  # a query word this similar (1 - edits / longer length) to a name word counts
SHOW_CUTOFF = 0.7  # a person whose best name is less similar than this is not shown
CANDIDATES = 400  # people scored in full, from the best pre-scores
BLOCK = 65_536  # people pre-scored together (see _hopeful)
DOB_BONUS = {"day": 0.12, "month": 0.08, "year": 0.06}
DOB_CONFLICT = -0.15  # a known date of birth that contradicts the one asked for
DOB_UNKNOWN = -0.03  # no date of birth on record when one was asked for

# Variant kinds: the person's name as recorded, or one of the aliases.
NAME, ALIAS = 0, 1


@dataclass
class PeopleIndex:
    """Name words of every person, numbered, with postings from word to people."""

    words: list[str] = field(default_factory=list)
    word_ids: dict[str, int] = field(default_factory=dict)
    postings: list[list[int]] = field(default_factory=list)
    person_ids: list[str] = field(default_factory=list)
    births: list[date | None] = field(default_factory=list)
    # per person: tuple of (kind, word ids, number of given-name words) for name and aliases
    variants: list[tuple[tuple[int, tuple[int, ...], int], ...]] = field(default_factory=list)
    by_birth_year: dict[int, list[int]] = field(default_factory=dict)
    # filled by finish(): postings as arrays, birth year/month/day per person (0 = unknown)
    posting_arrays: list[np.ndarray] = field(default_factory=list)
    birth_parts: np.ndarray | None = None

    def finish(self) -> PeopleIndex:
        """Freeze the index into arrays, so ranking 200,000 people is a few vector operations."""
        self.posting_arrays = [np.asarray(p, dtype=np.int32) for p in self.postings]
        parts = np.zeros((3, len(self.person_ids)), dtype=np.int16)
        for i, born in enumerate(self.births):
            if born is not None:
                parts[:, i] = (born.year, born.month, born.day)
        self.birth_parts = parts
        return self

    def word_id(self, word: str) -> int:
        wid = self.word_ids.get(word)
        if wid is None:
            wid = self.word_ids[word] = len(self.words)
            self.words.append(word)
            self.postings.append([])
        return wid

    def add(self, row: dict[str, Any]) -> None:
        index = len(self.person_ids)
        self.person_ids.append(row["person_id"])
        born = row.get("date_of_birth")
        self.births.append(born if isinstance(born, date) else None)
        if isinstance(born, date):
            self.by_birth_year.setdefault(born.year, []).append(index)
        given = tuple(self.word_id(w) for w in name_tokens(row.get("given_name_key") or ""))
        family = tuple(self.word_id(w) for w in name_tokens(row.get("family_name_key") or ""))
        if not given and not family:
            given = tuple(self.word_id(w) for w in name_tokens(row.get("name_key") or ""))
        variants = [(NAME, given + family, len(given))] if given or family else []
        for alias in row.get("alias_keys") or []:
            words = tuple(self.word_id(w) for w in name_tokens(alias))
            if words:
                variants.append((ALIAS, words, 0))
        self.variants.append(tuple(variants))
        for wid in {w for _, words, _ in variants for w in words}:
            self.postings[wid].append(index)


def people_version(store: GraphStore) -> tuple[Any, ...]:
    row = store.read_one("read/search_people_version") or {}
    return row.get("people"), row.get("latest")


def build_people_index(store: GraphStore) -> PeopleIndex:
    """One read of every person's name keys and date of birth."""
    index = PeopleIndex()
    for row in sorted(store.read("read/search_people_keys"), key=lambda r: str(r["person_id"])):
        index.add(row)
    log.info("People search index: %d people, %d distinct name words.",
             len(index.person_ids), len(index.words))
    return index.finish()


def people_index(store: GraphStore) -> PeopleIndex:
    """The current people index of the store's graph (built on first use, shared by threads)."""
    return cached("people", store, people_version, build_people_index)


@dataclass
class PersonMatch:
    person_id: str
    score: float
    name_score: float
    reasons: list[str]


def _close_words(index: PeopleIndex, word: str) -> dict[int, float]:
    """Name words within WORD_CUTOFF of one query word, with their similarity."""
    found = process.extract(word, index.words, scorer=OSA.normalized_similarity,
                            score_cutoff=WORD_CUTOFF, limit=None)
    close = {wid: score for _, score, wid in found}
    if len(word) == 1:  # an initial matches every name word it begins
        close.update({wid: max(close.get(wid, 0), 0.75) for wid, w in enumerate(index.words)
                      if w.startswith(word)})
    return close


def _score_variant(query: tuple[str, ...], weights: list[float], sims: list[dict[int, float]],
                   words: tuple[int, ...]) -> tuple[float, list[int]]:
    """Similarity of the query to one name (order-free) and the name word each query word took."""
    total, chosen = 0.0, []
    for i in range(len(query)):
        best, at = 0.0, -1
        for position, wid in enumerate(words):
            s = sims[i].get(wid, 0.0)
            if s > best:
                best, at = s, position
        total += weights[i] * best
        chosen.append(at)
    used = len({c for c in chosen if c >= 0})
    # a name with words the query did not mention (a middle name) ranks a little lower
    return total * (0.9 + 0.1 * used / max(len(words), 1)), chosen


def _title(index: PeopleIndex, words: tuple[int, ...]) -> str:
    return " ".join(index.words[w].title() for w in words)


def find_people(store: GraphStore, name: str, born: PartialDate | None = None,
                limit: int = 25) -> list[PersonMatch]:
    """People ranked by how well their name or an alias and their date of birth fit the query."""
    return find_people_counted(store, name, born, limit)[0]


def find_people_counted(store: GraphStore, name: str, born: PartialDate | None = None,
                        limit: int = 25) -> tuple[list[PersonMatch], bool]:
    """The same, and whether more people may match than were scored (CANDIDATES): then the
    number found is a lower bound, and a search page says "400+"."""
    index = people_index(store)
    truncated: list[bool] = []
    return rank_people(index, name, born, limit, truncated=truncated), bool(truncated)


def rank_people(index: PeopleIndex, name: str, born: PartialDate | None = None,
                limit: int = 25, *, truncated: list[bool] | None = None) -> list[PersonMatch]:
    """The ranking itself, on a built index (pure: unit-testable without a graph).
    `truncated` (a list) gets True appended when only the best CANDIDATES were scored."""
    query = name_tokens(name)
    if not query:
        return _by_birth_only(index, born, limit) if born else []
    if index.birth_parts is None:
        index.finish()
    sims = [_close_words(index, word) for word in query]
    lengths = [len(w) for w in query]
    weights = [n / sum(lengths) for n in lengths]
    hopeful, pre, stopped = _hopeful(index, sims, weights, born)
    if len(hopeful) > CANDIDATES or stopped:  # the best bounds; among equals, the first added
        hopeful = hopeful[np.lexsort((hopeful, -pre))[:CANDIDATES]]
        if truncated is not None:
            truncated.append(True)
    matches = []
    for person in hopeful.tolist():
        match = _explain(index, person, query, weights, sims, born)
        if match is not None:
            matches.append(match)
    matches.sort(key=lambda m: (-m.score, -m.name_score, m.person_id))
    return matches[:limit]


def _hopeful(index: PeopleIndex, sims: list[dict[int, float]], weights: list[float],
             born: PartialDate | None) -> tuple[np.ndarray, np.ndarray, bool]:
    """The people whose name may reach SHOW_CUTOFF, in the order added (person_id order when
    built from the graph), with an upper bound of each one's score: the best word match per
    query word, any name or alias, plus the date-of-birth adjustment. Also whether the scan
    stopped early. (The cut is on the name alone, as `_explain`'s: a near name with a
    conflicting date of birth is shown, ranked lower.)

    People are scored a block at a time. Once CANDIDATES of them reach the best bound anyone
    could (every query word matched at its best, the birth date too), no one later can beat or
    tie them ahead of them, so the rest is not read: a common name costs the same in a county
    as in a nation (at four counties, scoring everyone was most of such a search's time)."""
    size = len(index.person_ids)
    starts = list(range(0, size, BLOCK))
    per_word = [[(index.posting_arrays[wid], s, np.searchsorted(index.posting_arrays[wid],
                                                                [*starts, size]))
                 for wid, s in sorted(close.items(), key=lambda item: item[1])]
                for close in sims]  # least similar first: a better word overwrites it
    best_bound = sum(w * max(close.values(), default=0.0) for w, close in zip(weights, sims,
                                                                             strict=True))
    if born is not None:
        best_bound += DOB_BONUS["day" if born.day else "month" if born.month else "year"]
    found, bounds, at_best = [], [], 0
    pre, best = np.empty(BLOCK, dtype=np.float32), np.empty(BLOCK, dtype=np.float32)
    for block, start in enumerate(starts):
        stop = min(start + BLOCK, size)
        pre[:] = 0
        for postings, weight in zip(per_word, weights, strict=True):
            best[:] = 0
            for people, similarity, cuts in postings:  # each person once in a word's postings
                best[people[cuts[block]:cuts[block + 1]] - start] = similarity
            best *= np.float32(weight)
            pre += best
        hit = np.flatnonzero(pre[:stop - start] >= SHOW_CUTOFF - 1e-5) + start
        found.append(hit)
        bounds.append(pre[hit - start] + (0 if born is None else
                                          _birth_adjustments(index, born, hit)))
        at_best += int(np.count_nonzero(bounds[-1] >= best_bound - 1e-6))
        if at_best >= CANDIDATES and stop < size:
            return np.concatenate(found), np.concatenate(bounds), True
    if not found:
        return np.empty(0, dtype=np.int64), np.empty(0), False
    return np.concatenate(found), np.concatenate(bounds), False


def _birth_adjustments(index: PeopleIndex, born: PartialDate, people: np.ndarray
                       ) -> np.ndarray:
    """The date-of-birth bonus or penalty of these people at once (see _birth_adjustment)."""
    assert index.birth_parts is not None
    parts = index.birth_parts[:, people]
    known = parts[0] > 0
    same = parts[0] == born.year
    level = "year"
    if born.month is not None:
        same &= parts[1] == born.month
        level = "month"
    if born.day is not None:
        same &= parts[2] == born.day
        level = "day"
    out = np.where(known, np.float32(DOB_CONFLICT), np.float32(DOB_UNKNOWN))
    out[same] = DOB_BONUS[level]
    return out


def _explain(index: PeopleIndex, person: int, query: tuple[str, ...], weights: list[float],
             sims: list[dict[int, float]], born: PartialDate | None) -> PersonMatch | None:
    best: tuple[float, int, tuple[int, ...], int, list[int]] | None = None
    for kind, words, given_count in index.variants[person]:
        score, chosen = _score_variant(query, weights, sims, words)
        if best is None or score > best[0] + 1e-9 or (abs(score - best[0]) < 1e-9 and
                                                       kind == NAME):
            best = (score, kind, words, given_count, chosen)
    if best is None or best[0] < SHOW_CUTOFF:
        return None
    score, kind, words, given_count, chosen = best
    typed = " ".join(w.title() for w in query)
    percent = round(score * 100)
    recorded = _title(index, words)
    if kind == ALIAS:
        reasons = [f"alias '{recorded}' ~ '{typed}', {percent}%"]
    elif percent >= 100 and chosen == sorted(chosen):
        reasons = [f"name '{recorded}' matches exactly"]
    else:
        reasons = [f"name '{recorded}' ~ '{typed}', {percent}%"]
    if kind == NAME and len(query) >= 2 and 0 < given_count < len(words):
        first, last = chosen[0], chosen[-1]
        if first >= given_count and 0 <= last < given_count:
            reasons.append("given and family names swapped")
    total = score
    if born is not None:
        total += _birth_adjustment(index.births[person], born, reasons)
    return PersonMatch(index.person_ids[person], round(total, 4), round(score, 4), reasons)


def _birth_adjustment(value: date | None, born: PartialDate, reasons: list[str]) -> float:
    if value is None:
        reasons.append("no date of birth on record")
        return DOB_UNKNOWN
    if born.matches(value):
        reasons.append(f"{born.describe()} matches")
        return DOB_BONUS["day" if born.day else "month" if born.month else "year"]
    reasons.append(f"date of birth {value.isoformat()} differs from {born.describe()[14:]}")
    return DOB_CONFLICT


def _by_birth_only(index: PeopleIndex, born: PartialDate, limit: int) -> list[PersonMatch]:
    hits = [i for i in index.by_birth_year.get(born.year, []) if born.matches(index.births[i])]
    hits.sort(key=lambda i: index.person_ids[i])
    return [PersonMatch(index.person_ids[i], 1.0, 0.0, [f"{born.describe()} matches"])
            for i in hits[:limit]]
