"""`identities resolve`: link the graph's person records, keeping every officer's decision.

One orchestration that the CLI, the import and the scheduler call: read the records, train the
model (or load the saved one), score pairs with Splink, link a PNC id outright, set statuses,
write the links, audit them as combinations, and refresh each record's identity_key.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from graphsvc import audit, dates
from graphsvc.errors import InputError
from graphsvc.identities import AUTOMATIC, CONFIRMED, FOR_REVIEW, REJECTED, ordered
from graphsvc.identities.linkage import (
    ScoredPair,
    prepare_record,
    prepare_records,
    read_frame,
    score_new_records,
    score_pairs,
    train_model,
    write_frame,
)
from graphsvc.identities.links import read_link_statuses, refresh_identity_keys
from graphsvc.locks import LockHeld, file_lock, lock_dir
from graphsvc.settings import Settings
from graphsvc.store.base import GraphStore

log = logging.getLogger(__name__)

# Levels at which two records contradict each other outright: such a pair goes to an officer,
# however the other fields agree (twins share a birthday, home and family name; a father and
# son share a name and a home). The weights of these levels are trained like all others.
CONTRADICTIONS = {"given_name": "All other comparisons", "dob": "All other comparisons"}
PNC_EVIDENCE = {"field": "pnc_id", "level": "same PNC id: linked outright", "bayes_factor": None,
                "weight": None}


@dataclass
class ResolveReport:
    """What a linkage run did."""

    records: int = 0
    compared: int = 0
    scored_pairs: int = 0
    automatic: int = 0
    for_review: int = 0
    new_links: list[tuple[str, str, str]] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)
    kept_decisions: int = 0
    trained: bool = False
    model_path: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    audit_seq: int | None = None


def model_dir(settings: Settings) -> Path:
    """Where the models and run state of this graph are kept (one folder per graph)."""
    return settings.data_dir / "identities" / settings.graph_name


def has_model(settings: Settings) -> bool:
    return (model_dir(settings) / "model.json").is_file()


def _save_model(settings: Settings, model: dict[str, Any]) -> Path:
    folder = model_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"model-{stamp}.json"
    text = json.dumps(model, indent=1, sort_keys=True)
    path.write_text(text, encoding="utf-8")
    (folder / "model.json").write_text(text, encoding="utf-8")
    return path


def load_model(settings: Settings, path: Path | None = None) -> dict[str, Any] | None:
    """The saved model (the latest, or the one at `path`); None when none was saved."""
    path = path or model_dir(settings) / "model.json"
    if not path.is_file():
        if path != model_dir(settings) / "model.json":
            raise InputError(f"There is no saved linkage model at {path}.")
        return None
    try:
        saved: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return saved
    except (OSError, ValueError) as exc:
        raise InputError(f"The linkage model {path} cannot be read: {exc}.") from None


def _status(pair: ScoredPair, bare: set[str], settings: Settings) -> str | None:
    if pair.probability < settings.link_review:
        return None
    if pair.a in bare or pair.b in bare:
        return FOR_REVIEW
    pnc = any(e["field"] == "pnc_id" and e["level"] == PNC_EVIDENCE["level"]
              for e in pair.evidence)
    if pnc:
        return AUTOMATIC
    if any(CONTRADICTIONS.get(e["field"]) == e["level"] for e in pair.evidence):
        return FOR_REVIEW
    return AUTOMATIC if pair.probability >= settings.link_automatic else FOR_REVIEW


def _pnc_pairs(frame: Any, scored: dict[tuple[str, str], ScoredPair]) -> list[ScoredPair]:
    """Records of different sources with one PNC id: linked outright, probability 1."""
    out = []
    with_pnc = frame[frame["pnc_id"].notna()]
    for _, group in with_pnc.groupby("pnc_id"):
        rows = group.to_dict("records")
        for i, left in enumerate(rows):
            for right in rows[i + 1:]:
                if left["source"] == right["source"]:
                    continue
                a, b = ordered(left["person_id"], right["person_id"])
                model = scored.get((a, b))
                evidence = [PNC_EVIDENCE] + [e for e in (model.evidence if model else [])
                                             if e["field"] != "pnc_id"]
                out.append(ScoredPair(a, b, 1.0, model.match_weight if model else 99.0,
                                      evidence))
    return out


def _state_path(settings: Settings) -> Path:
    return model_dir(settings) / "state.json"


def _cache_path(settings: Settings) -> Path:
    return model_dir(settings) / "records.parquet"


# The newest updated_at a linkage run saw, and a fingerprint of each record stamped so.
Mark = tuple[str, dict[str, str]]


def _fingerprint(row: dict[str, Any]) -> str:
    """What linkage compares of a record, as one string: equal when nothing it uses changed."""
    return hashlib.sha256(json.dumps(prepare_record(row), sort_keys=True,
                                     default=str).encode()).hexdigest()


def _mark(rows: list[dict[str, Any]], since: Mark = ("", {})) -> Mark:
    """The newest updated_at among `rows` and the last run's mark `since`, with the fingerprints
    of the records stamped with it (the next run leaves those out while they are unchanged)."""
    newest = max([since[0]] + [r.get("updated_at") or "" for r in rows])
    marked = dict(since[1]) if newest == since[0] else {}
    marked.update({str(r["person_id"]): _fingerprint(r) for r in rows
                   if (r.get("updated_at") or "") == newest})
    return newest, marked


def _already_compared(row: dict[str, Any], since: Mark) -> bool:
    return (row.get("updated_at") == since[0]
            and since[1].get(str(row["person_id"])) == _fingerprint(row))


def _read_records(store: GraphStore, settings: Settings, *,
                  incremental: bool) -> tuple[pd.DataFrame, set[str] | None, Mark]:
    """The records as linkage compares them, the ids new or changed since the last run (None:
    compare all), and the mark for the next run (_mark).

    An incremental run reads only the changed records from the graph and takes the others from
    the copy the last run saved (a full read of every record and its addresses is most of a
    run's time at county scale). updated_at has whole seconds, so it reads the records stamped
    in the very second of the last run's newest too, and leaves out those that run compared
    as they still are: a batch an import writes in that second after the last run read is
    compared now."""
    state = None
    if incremental:
        try:
            state = json.loads(_state_path(settings).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = None
    if state and state.get("records_up_to") and _cache_path(settings).is_file():
        since: Mark = (state["records_up_to"], dict(state.get("records_at_up_to") or {}))
        changed = [r for r in store.read("identities/records_changed", since=since[0])
                   if not _already_compared(r, since)]
        ids = {r["person_id"] for r in changed}
        kept = read_frame(_cache_path(settings))
        frame = pd.concat([kept[~kept["person_id"].isin(ids)], prepare_records(changed)],
                          ignore_index=True)
        return frame, ids, _mark(changed, since)
    rows = store.read("identities/records")
    return prepare_records(rows), None, _mark(rows)


def _save_state(settings: Settings, frame: pd.DataFrame, up_to: Mark) -> None:
    folder = model_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    write_frame(frame, _cache_path(settings))
    _state_path(settings).write_text(json.dumps({"records_up_to": up_to[0],
                                                 "records_at_up_to": up_to[1]}),
                                     encoding="utf-8")


def resolve_identities(store: GraphStore, settings: Settings, *, by: str, role: str,
                       train: bool = False, model_path: Path | None = None,
                       incremental: bool = False) -> ResolveReport:
    """Link the graph's records, or only those new or changed since the last run when
    `incremental` (a full run when there was none); return what was done."""
    report = ResolveReport()
    started = time.perf_counter()
    frame, only_ids, up_to = _read_records(store, settings,
                                           incremental=incremental and not train)
    report.records = len(frame)
    report.seconds["read"] = round(time.perf_counter() - started, 3)
    model = None if train else load_model(settings, model_path)
    if model is None:
        only_ids = None
        tick = time.perf_counter()
        model = train_model(frame)
        report.trained = True
        report.model_path = str(_save_model(settings, model))
        report.seconds["train"] = round(time.perf_counter() - tick, 3)
    else:
        report.model_path = str(model_path or model_dir(settings) / "model.json")
    tick = time.perf_counter()
    if only_ids is not None:
        scored_list = score_new_records(frame, model, only_ids, threshold=settings.link_review)
        report.compared = len(only_ids)
    else:
        scored_list = score_pairs(frame, model, threshold=settings.link_review)
        report.compared = len(frame)
    scored = {(p.a, p.b): p for p in scored_list}
    pnc_frame = frame if only_ids is None else frame[frame["pnc_id"].isin(
        frame[frame["person_id"].isin(only_ids)]["pnc_id"].dropna())]
    for pair in _pnc_pairs(pnc_frame, scored):
        scored[(pair.a, pair.b)] = pair
    report.scored_pairs = len(scored)
    report.seconds["score"] = round(time.perf_counter() - tick, 3)

    tick = time.perf_counter()
    bare = set(frame.loc[frame["bare"], "person_id"])
    existing = {(x["a"], x["b"]): x["status"] for x in read_link_statuses(store)}
    writes = []
    for key, pair in sorted(scored.items()):
        status = _status(pair, bare, settings)
        if status is None:
            continue
        before = existing.get(key)
        if before in (CONFIRMED, REJECTED):
            report.kept_decisions += 1
        elif before != status:
            report.new_links.append((pair.a, pair.b, status))
        if status == AUTOMATIC:
            report.automatic += 1
        else:
            report.for_review += 1
        writes.append({"a": pair.a, "b": pair.b, "probability": round(pair.probability, 6),
                       "status": status, "evidence_json": json.dumps(pair.evidence)})
    written = {(w["a"], w["b"]) for w in writes}
    stale = [key for key, status in existing.items()
             if key not in written and status in (AUTOMATIC, FOR_REVIEW)
             and (only_ids is None or key[0] in only_ids or key[1] in only_ids)]
    if writes:
        store.write_rows("identities/link_set_model", writes, batch_size=settings.batch_size,
                         now=dates.graph_now().isoformat())
    if stale:
        store.write_rows("identities/link_drop_model", [{"a": a, "b": b} for a, b in stale],
                         batch_size=settings.batch_size)
    report.dropped = stale
    refresh_identity_keys(store)
    report.seconds["write"] = round(time.perf_counter() - tick, 3)
    if report.new_links or report.dropped:
        report.audit_seq = audit.record(
            settings, user=by, role=role, kind="combination", action="identity linkage run",
            asked={"records": report.records, "compared": report.compared,
                   "model": report.model_path, "trained": report.trained,
                   "links": [list(x) for x in report.new_links],
                   "unlinked": [list(x) for x in report.dropped]},
            shown=sorted({f"person_id={p}" for a, b, _ in report.new_links for p in (a, b)}
                         | {f"person_id={p}" for a, b in report.dropped for p in (a, b)}),
            justification="record linkage")
    _save_state(settings, frame, up_to)
    report.seconds["total"] = round(time.perf_counter() - started, 3)
    log.info("linkage: %d records, %d automatic, %d for review, %d new, %d dropped",
             report.records, report.automatic, report.for_review, len(report.new_links),
             len(report.dropped))
    return report


def link_changed_records(store: GraphStore, settings: Settings, *,
                         by: str) -> ResolveReport | None:
    """Before rules run: link records new or changed since the last linkage, once a model has
    been trained (`identities resolve`). Never raises: rules still run if linkage cannot."""
    if not has_model(settings):
        return None
    try:
        with file_lock(lock_dir(settings.data_dir) / f"identities-{settings.graph_name}.lock"):
            return resolve_identities(store, settings, by=by, role="system", incremental=True)
    except LockHeld:
        log.info("Linkage is already running in another process; the rules use its links.")
    except Exception:  # a job boundary: the rules must still run on the links there are
        log.exception("Linking new and changed records before the rules failed")
    return None
