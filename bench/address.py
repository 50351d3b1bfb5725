"""Address check benchmark: 500 random addresses over HTTP against the county graph.

Builds (or, with --data-dir, reuses) the synthetic county, serves the API as production does
(`graphsvc serve`, waitress, in a child process) with a control-room bearer token, and times
GET /api/v1/address-check over one keep-alive connection (each call also writes its audit
entry). The same look-ups made by calling `check_address` directly are the floor.
Targets: HTTP p50 under 10 ms, p95 under 25 ms.
"""

from __future__ import annotations

import http.client
import json
import random
import time
import urllib.parse

from bench.common import bench_settings, percentiles, serve_app
from bench.search import _ensure_county
from graphsvc import audit, users
from graphsvc.address_check import check_address
from graphsvc.errors import NotFound
from graphsvc.store import open_store

LOOKUPS = 500
WARM_UP = 20
TOKEN_NAME = "bench-cad"


def _addresses(settings, rng: random.Random) -> list[dict[str, str]]:
    """Queries as a control room system sends them: by UPRN where there is one, else by id."""
    with open_store(settings) as store:
        rows = store.read("read/search_addresses_keys")
    picked = rng.sample(rows, min(len(rows), LOOKUPS + WARM_UP))
    return [{"uprn": str(r["uprn"])} if r.get("uprn") else {"address_id": r["address_id"]}
            for r in picked]


def _bare_lookups(store, queries: list[dict[str, str]]) -> list[float]:
    """The floor: one indexed lookup of each address by its key, on the same engine."""
    samples = []
    for i, query in enumerate(queries):
        if "uprn" in query:
            name, key = "read/address_by_uprn", {"uprn": query["uprn"], "limit": 2}
        else:
            name, key = "read/address_by_id", {"address_id": query["address_id"]}
        started = time.perf_counter()
        store.read(name, **key)
        if i >= WARM_UP:
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def _token(settings) -> str:
    if any(t.name == TOKEN_NAME and not t.revoked_at for t in users.list_tokens(settings)):
        users.revoke_token(settings, TOKEN_NAME)
    _info, secret = users.issue_token(settings, TOKEN_NAME, "control_room", by="bench")
    return secret


def run(args) -> dict:
    rng = random.Random(args.seed)
    with bench_settings(args.data_dir, graph_name="county", engine=args.engine) as settings:
        built = _ensure_county(settings, args.scale, args.seed)
        queries = _addresses(settings, rng)
        secret = _token(settings)
        audit_before = audit.count(settings)
        http_ms, statuses, ambiguous = [], {}, 0
        with serve_app(settings) as port:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {"Authorization": f"Bearer {secret}"}
            for i, query in enumerate(queries):
                path = "/api/v1/address-check?" + urllib.parse.urlencode(
                    {**query, "justification": "BENCH-0001"})
                started = time.perf_counter()
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                elapsed = (time.perf_counter() - started) * 1000
                if response.status not in (200, 404):
                    raise RuntimeError(f"HTTP {response.status}: {body[:300]!r}")
                if i >= WARM_UP:
                    http_ms.append(elapsed)
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                    if response.status == 200 and json.loads(body)["status"] == "ambiguous":
                        ambiguous += 1
            conn.close()
        audit_written = audit.count(settings) - audit_before
        direct_ms = []
        with open_store(settings) as store:
            for i, query in enumerate(queries):
                started = time.perf_counter()
                try:
                    check_address(store, query, role="control_room")
                except NotFound:
                    pass
                if i >= WARM_UP:
                    direct_ms.append((time.perf_counter() - started) * 1000)
            bare_ms = _bare_lookups(store, queries)
        problems = audit.verify(settings)
    over_http, direct, bare = percentiles(http_ms), percentiles(direct_ms), percentiles(bare_ms)
    return {"scale": args.scale, **built, "lookups": len(http_ms),
            "http_statuses": statuses, "ambiguous": ambiguous,
            "address_check_http": over_http,
            "address_check_direct": direct,
            "floor_indexed_point_lookup": bare,
            "http_over_direct_p50": round(over_http["p50_ms"] / direct["p50_ms"], 2),
            "http_over_floor_p95": round(over_http["p95_ms"] / bare["p95_ms"], 1),
            "targets": {"http_p50_ms": 10, "http_p95_ms": 25},
            "meets_targets": over_http["p50_ms"] < 10 and over_http["p95_ms"] < 25,
            "audit_entries_written": audit_written, "audit_chain_intact": not problems}
