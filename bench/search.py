"""Search benchmark: search and depth-2 entity expansion over HTTP, against the county graph.

Builds (or, with --data-dir, reuses) the synthetic county, serves the app as production does
(`graphsvc serve`, waitress, in a child process), signs in as an intelligence officer and times
POST /search/ (typos, swapped names, birth years, postcodes, street names, UPRNs; all with
"anything", which looks at every kind) and GET /search/entity/... depth 2. The searches are
measured after a warm-up of WARM_UP searches of the same kinds, which are not counted.
"""

from __future__ import annotations

import http.client
import random
import re
import time
import urllib.parse

from bench.common import bench_settings, percentiles, serve_app, server_timing, timing_split
from bench.county import county_date, county_in
from graphsvc.errors import InputError
from graphsvc.settings import Settings
from graphsvc.store import open_store

SEARCHES = 400
# Searches run before the measured ones and not counted: the first requests after a start meet a
# cold engine (on Neo4j the JVM compiles the statements' hot paths and plans them once) and cold
# caches in the app; a production server has served many searches before the one measured.
WARM_UP = 120
EXPANSIONS = 300
PASSWORD = "bench password for the search benchmark"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class Browser:
    """A keep-alive HTTP client that carries the session cookie, as a browser would."""

    def __init__(self, port: int):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookies: dict[str, str] = {}
        self.server_timing = ""  # the last response's Server-Timing header

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        self.server_timing = response.headers.get("Server-Timing") or ""
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text

    def csrf(self, path: str) -> str:
        _, text = self.request("GET", path)
        match = _CSRF.search(text)
        if not match:
            raise RuntimeError(f"no CSRF token on {path}")
        return match.group(1)


def _queries(settings: Settings, rng: random.Random
             ) -> tuple[list[str], list[str], list[str]]:
    """Realistic searches (misspelt, swapped, with a birth year; postcodes), entities, and
    searches of the same kinds for the warm-up (not measured)."""
    with open_store(settings) as store:
        people = store.read("read/search_people_keys")
        addresses = store.read("read/search_addresses_keys")
    searches = _searches(people, addresses, rng, SEARCHES, 100, 50, 50)
    entities = [f"person/{urllib.parse.quote(p['person_id'])}"
                for p in rng.sample(people, min(len(people), EXPANSIONS * 2 // 3))]
    entities += [f"address/{urllib.parse.quote(a['address_id'])}"
                 for a in rng.sample(addresses, min(len(addresses), EXPANSIONS // 3))]
    rng.shuffle(entities)
    share = WARM_UP / (SEARCHES + 200)  # the warm-up mixes the kinds as the measured searches do
    warm_up = _searches(people, addresses, rng, round(SEARCHES * share), round(100 * share),
                        round(50 * share), round(50 * share))
    return searches, entities, warm_up


def _searches(people: list[dict], addresses: list[dict], rng: random.Random, names: int,
              postcodes: int, streets: int, uprns: int) -> list[str]:
    """Searches as officers type them: names (misspelt, swapped, with a birth year, aliases),
    postcodes, street names and UPRNs, shuffled."""
    searches = []
    for row in rng.sample(people, min(len(people), names)):
        given, family = row.get("given_name_key") or "", row.get("family_name_key") or ""
        style = rng.randrange(4)
        if style == 0 and len(family) > 3:  # transposed letters
            i = rng.randrange(1, len(family) - 2)
            family = family[:i] + family[i + 1] + family[i] + family[i + 2:]
        if style == 1:
            given, family = family, given
        text = f"{given} {family}".strip()
        if style == 2 and row.get("date_of_birth"):
            text += f" {row['date_of_birth'].year}"
        if style == 3 and row.get("alias_keys"):
            text = rng.choice(row["alias_keys"])
        searches.append(text)
    with_postcode = [a for a in addresses if a.get("postcode_key")]
    searches += [a["postcode_key"].lower() for a in rng.sample(with_postcode,
                                                               min(len(with_postcode), postcodes))]
    # "anything" also looks at addresses: street names and UPRNs typed in the one box
    searches += [" ".join((a.get("text_key") or "").split()[1:3]) for a in rng.sample(
        addresses, min(len(addresses), streets)) if a.get("text_key")]
    searches += [str(a["uprn"]) for a in rng.sample(addresses, min(len(addresses), uprns))
                 if a.get("uprn")]
    rng.shuffle(searches)
    return searches


def _bare_lookups(settings: Settings, warm_up: list[str], searches: list[str]) -> dict:
    """The floor: one indexed look-up of each search's last word as a family-name key (after
    the same warm-up as the searches, not measured)."""
    samples = []
    with open_store(settings) as store:
        for text in warm_up:
            key = text.split()[-1].lower() if text.split() else ""
            store.read("bench/people_by_family_name_key", key=key)
        for text in searches:
            key = text.split()[-1].lower() if text.split() else ""
            started = time.perf_counter()
            store.read("bench/people_by_family_name_key", key=key)
            samples.append((time.perf_counter() - started) * 1000)
    return percentiles(samples)


def _timed(call) -> float:
    started = time.perf_counter()
    status, text = call()
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise RuntimeError(f"HTTP {status}: {text[:300]}")
    return elapsed


def run(args) -> dict:
    from graphsvc import users

    rng = random.Random(args.seed)
    with bench_settings(args.data_dir, graph_name="county", engine=args.engine) as settings:
        built = county_in(settings, scale=args.scale, seed=args.seed, as_of=county_date(args))
        try:
            users.add_user(settings, "bench-intel", "intelligence", PASSWORD)
        except InputError:
            pass  # the user exists from an earlier run on this data dir: reuse it
        searches, entities, warm_up = _queries(settings, rng)
        with serve_app(settings, server_timing=True) as port:
            browser = Browser(port)
            token = browser.csrf("/sign-in")
            status, _ = browser.request("POST", "/sign-in", {
                "name": "bench-intel", "password": PASSWORD, "csrf_token": token})
            if status != 302:
                raise RuntimeError(f"sign-in failed with HTTP {status}")
            token = browser.csrf("/search/")
            reason = "Benchmark of the search service"

            def search(text: str):
                return browser.request("POST", "/search/", {
                    "q": text, "kind": "auto", "justification": reason, "csrf_token": token})

            # the first name search and the first address search build the server's indexes
            people_index_ms = _timed(lambda: search("john smith"))
            address_index_ms = _timed(lambda: search("NR1 1AA"))
            for text in warm_up:
                _timed(lambda t=text: search(t))
            search_ms, parts = [], []
            for text in searches:
                search_ms.append(_timed(lambda t=text: search(t)))
                parts.append((search_ms[-1], server_timing(browser.server_timing)))
            expand_ms = [_timed(lambda e=e: browser.request(
                "GET", f"/search/entity/{e}?depth=2")) for e in entities]
        floor = _bare_lookups(settings, warm_up, searches)
    return {"scale": args.scale, **built, "warm_up_searches": len(warm_up),
            "floor_indexed_family_name_lookup": floor,
            "search_over_floor_p95": round(percentiles(search_ms)["p95_ms"]
                                           / floor["p95_ms"], 1),
            "first_name_search_ms_building_people_index": round(people_index_ms, 1),
            "first_postcode_search_ms_building_address_index": round(address_index_ms, 1),
            "search_http": percentiles(search_ms), "search_target_p95_ms": 50,
            "search_http_split_ms": timing_split(parts),
            "expand_depth2_http": percentiles(expand_ms), "expand_target_p95_ms": 100}
