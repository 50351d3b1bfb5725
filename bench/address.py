"""Address check benchmark: random addresses over HTTP against the county graph.

Builds (or, with --data-dir, reuses) the synthetic county, runs the rules when no flag is held
(the briefing shows open flags), serves the API as production does (`graphsvc serve`, waitress,
in a child process) with a control-room bearer token, and times:

- GET /api/v1/address-check over one keep-alive connection, 500 look-ups (each call also writes
  its audit entry); the same look-ups made by calling `check_address` directly are the floor;
- 16 concurrent clients, each on its own keep-alive connection, 50 look-ups each: checks per
  second and each call's latency;
- the printable briefing in Debian's headless Chromium, signed in as a control-room user:
  from submitting the form to the page's load event (server, transfer, layout and paint).

Targets: HTTP p95 ≤ 25 ms; 16 clients ≥ 120 checks/s with p95 ≤ 150 ms; briefing ≤ 300 ms.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import threading
import time
import urllib.parse

from bench.common import bench_settings, percentiles, serve_app, server_timing, timing_split
from bench.county import county_date, county_in
from graphsvc import audit, tokens, users
from graphsvc.address_check import check_address
from graphsvc.errors import NotFound
from graphsvc.store import open_store

LOOKUPS = 500
WARM_UP = 20
TOKEN_NAME = "bench-cad"
CLIENTS = 16
PER_CLIENT = 50
BRIEFINGS = 40
BROWSER_USER = "bench-dispatcher"
BROWSER_PASSWORD = "bench password not for production"
CHROMIUM = os.environ.get("GRAPHSVC_CHROMIUM", "/usr/bin/chromium")


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
    if any(t.name == TOKEN_NAME and not t.revoked_at for t in tokens.list_tokens(settings)):
        tokens.revoke_token(settings, TOKEN_NAME)
    _info, secret = tokens.issue_token(settings, TOKEN_NAME, "control_room", by="bench")
    return secret


def _ensure_flags(settings) -> dict:
    """Run the rule pack once on a county that holds no flag (the briefing shows them)."""
    with open_store(settings) as store:
        from graphsvc import flags

        if flags.list_flags(store, open_only=True):
            return {"rules": "reused"}
        from graphsvc.rules import run_rules
        from graphsvc.rules.catalogue import catalogue

        started = time.perf_counter()
        report = run_rules(store, settings, list(catalogue()), trigger="bench", regroup=False)
        new = sum(r.flags_new for r in report.runs)
        return {"rules": "run", "flags_new": new,
                "rules_seconds": round(time.perf_counter() - started, 1)}


def _get(conn: http.client.HTTPConnection, path: str, headers: dict,
         parts: list | None = None) -> tuple[int, bytes, float]:
    """Status, body and milliseconds; with `parts`, appends (milliseconds, the server's parts)."""
    started = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if parts is not None:
        parts.append((elapsed, server_timing(response.headers.get("Server-Timing"))))
    return response.status, body, elapsed


def _path(query: dict[str, str]) -> str:
    return "/api/v1/address-check?" + urllib.parse.urlencode(
        {**query, "justification": "BENCH-0001"})


def _concurrent(port: int, secret: str, queries: list[dict[str, str]]) -> dict:
    """CLIENTS threads, each on its own keep-alive connection, PER_CLIENT look-ups each."""
    headers = {"Authorization": f"Bearer {secret}"}
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS + 1)

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        start.wait()
        for j in range(PER_CLIENT):
            status, body, ms = _get(conn, _path(queries[(k * PER_CLIENT + j) % len(queries)]),
                                    headers)
            if status not in (200, 404):
                with lock:
                    failures.append(f"HTTP {status}: {body[:200]!r}")
            mine.append(ms)
        conn.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    start.wait()
    started = time.perf_counter()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return {"clients": CLIENTS, "checks": len(latencies), "seconds": round(seconds, 2),
            "checks_per_s": round(len(latencies) / seconds, 1), **percentiles(latencies),
            "failures": failures[:5]}


def _briefing_in_chromium(port: int, settings, queries: list[dict[str, str]]) -> dict:
    """Time the printable briefing in headless Chromium: submit to the load event."""
    if not os.path.exists(CHROMIUM):
        return {"skipped": f"{CHROMIUM} is not installed"}
    from playwright.sync_api import sync_playwright

    if not any(u.name == BROWSER_USER for u in users.list_users(settings)):
        users.add_user(settings, BROWSER_USER, "control_room", BROWSER_PASSWORD)
    base = f"http://127.0.0.1:{port}"
    timings, svg_seen, other = [], 0, ""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-background-networking", "--disable-component-update"])
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        page.goto(base + "/sign-in")
        page.get_by_label("Name").fill(BROWSER_USER)
        page.get_by_label("Password").fill(BROWSER_PASSWORD)
        # wait for the answer to the sign-in itself: a bare wait_for_load_state() returns at
        # once (the sign-in page is loaded), and the next goto then cancels the sign-in
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Sign in").click()
        if page.locator("h1").first.inner_text() == "Sign in":
            refused = page.locator("main").inner_text().strip().splitlines()
            browser.close()
            return {"briefings": 0, "error": f"{BROWSER_USER} could not sign in: {refused[:3]}"}
        for i, query in enumerate(queries[:BRIEFINGS + 3]):
            page.goto(base + "/address-check/")
            token = page.locator("input[name=csrf_token]").first.get_attribute("value")
            # a form like the page's "Printable briefing" button, submitted by the browser
            with page.expect_navigation(wait_until="load"):
                page.evaluate("""([action, fields]) => {
                    const f = document.createElement('form'); f.method = 'post';
                    f.action = action;
                    for (const [k, v] of Object.entries(fields)) {
                      const i = document.createElement('input'); i.type = 'hidden';
                      i.name = k; i.value = v; f.appendChild(i); }
                document.body.appendChild(f); setTimeout(() => f.submit(), 0); }""",
                              [base + "/address-check/briefing",
                               {**query, "justification": "BENCH-0001", "csrf_token": token}])
            if i < 3:
                continue  # warm-up
            nav = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                return [n.loadEventEnd - n.startTime, n.responseEnd - n.startTime]; }""")
            heading = page.locator("h1").first.inner_text()
            if heading == "Address briefing":
                timings.append(nav[0])
                svg_seen += page.locator("svg#surroundings").count()
            else:
                other = heading
        browser.close()
    if len(timings) < 2:
        return {"briefings": len(timings), "error": f"the briefing did not load: {other!r}"}
    return {"briefings": len(timings), **percentiles(timings), "with_picture": svg_seen}


def run(args) -> dict:
    rng = random.Random(args.seed)
    with bench_settings(args.data_dir, graph_name="county", engine=args.engine) as settings:
        built = county_in(settings, scale=args.scale, seed=args.seed, as_of=county_date(args))
        built.update(_ensure_flags(settings))
        queries = _addresses(settings, rng)
        secret = _token(settings)
        audit_before = audit.count(settings)
        http_ms, statuses, ambiguous = [], {}, 0
        content = {"children_on_plans_named": 0, "offenders_here_named": 0,
                   "offenders_nearby": 0, "with_officer_safety_history": 0, "with_picture": 0}
        with serve_app(settings, server_timing=True) as port:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {"Authorization": f"Bearer {secret}"}
            parts: list = []
            for i, query in enumerate(queries):
                status, body, elapsed = _get(conn, _path(query), headers,
                                             parts if i >= WARM_UP else None)
                if status not in (200, 404):
                    raise RuntimeError(f"HTTP {status}: {body[:300]!r}")
                if i < WARM_UP:
                    continue
                http_ms.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
                answer = json.loads(body) if status == 200 else {}
                if answer.get("status") == "ambiguous":
                    ambiguous += 1
                elif answer:
                    content["children_on_plans_named"] += len(
                        answer["children_on_protection_plans"])
                    content["offenders_here_named"] += len(answer["offenders_here"])
                    content["offenders_nearby"] += len(answer["offenders_nearby"])
                    content["with_officer_safety_history"] += any(
                        t["count"] for t in answer["officer_safety"]["types"])
                    content["with_picture"] += answer["picture"] is not None
            conn.close()
            concurrent = _concurrent(port, secret, queries)
            briefing = _briefing_in_chromium(port, settings, queries)
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
    meets = {"http_p95": over_http["p95_ms"] <= 25,
             "concurrent_rate": concurrent["checks_per_s"] >= 120,
             "concurrent_p95": concurrent["p95_ms"] <= 150,
             "briefing_render_p95": briefing.get("p95_ms", 10**9) <= 300}
    return {"scale": args.scale, **built, "lookups": len(http_ms),
            "http_statuses": statuses, "ambiguous": ambiguous, "content": content,
            "address_check_http": over_http,
            "address_check_http_split_ms": timing_split(parts),
            "address_check_direct": direct,
            "floor_indexed_point_lookup": bare,
            "http_over_direct_p50": round(over_http["p50_ms"] / direct["p50_ms"], 2),
            "http_over_floor_p95": round(over_http["p95_ms"] / bare["p95_ms"], 1),
            "concurrent_http": concurrent,
            "briefing_render_chromium": briefing,
            "targets": {"http_p95_ms": 25, "concurrent_checks_per_s": 120,
                        "concurrent_p95_ms": 150, "briefing_render_ms": 300},
            "meets_targets": meets, "meets_all_targets": all(meets.values()),
            "audit_entries_written": audit_written, "audit_chain_intact": not problems}
