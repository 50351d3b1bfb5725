"""Hypothesis drives odd values through every route and parameter, as each role that may use
it: never a 500 or a crash of the engine, never a write the request did not complete, and a
plain message every time (docs/roles.md has the routes; this file knows their parameters)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from graphsvc import tokens
from graphsvc.store.engine import EmbeddedEngine
from tests.conftest import csrf_token
from tests.factories import load_graph
from tests.fuzz.conftest import FUZZ, INTERNAL, ODD, graph_state
from tests.integration.test_web_authorisation import EXPECTED, TOKEN_ENDPOINTS
from tests.tasking_data import concern, run_rule
from web.jobs import ALL

ADDRESS = ("find", "justification", "radius_m", "lat", "lon", "easting", "northing", "as_of")
API = ("address_id", "uprn", "postcode", "q", "lat", "lon", "easting", "northing",
       "justification", "radius_m", "as_of")
VIEW = ("depth", "page", "type")


@dataclass(frozen=True)
class Route:
    endpoint: str
    method: str
    path: str  # with {name} for each path parameter
    params: tuple[str, ...] = ()
    path_params: tuple[str, ...] = ()


ROUTES = [
    Route("auth.sign_in", "GET", "/sign-in", ("next",)),
    Route("auth.sign_in", "POST", "/sign-in", ("name", "password", "next")),
    Route("auth.password", "POST", "/password", ("current", "new", "again")),
    Route("auth.home", "GET", "/"),
    Route("address.check", "GET", "/address-check/", ADDRESS),
    Route("address.check", "POST", "/address-check/", ADDRESS),
    Route("address.briefing", "POST", "/address-check/briefing", ADDRESS),
    Route("api.address_check", "GET", "/api/v1/address-check", API),
    Route("api.openapi", "GET", "/api/v1/openapi.json"),
    Route("search.index", "POST", "/search/", ("q", "kind", "justification")),
    Route("search.set_reason", "POST", "/search/reason", ("justification", "next")),
    Route("search.entity.show", "GET", "/search/entity/{kind}/{key}", VIEW, ("kind", "key")),
    Route("search.entity.graph", "GET", "/search/entity/{kind}/{key}/graph.json", VIEW,
          ("kind", "key")),
    Route("search.entity.expand", "GET", "/search/entity/{kind}/{key}/expand.json",
          ("type", "page"), ("kind", "key")),
    Route("search.entity.export", "POST", "/search/entity/{kind}/{key}/export",
          ("format", "justification", *VIEW), ("kind", "key")),
    Route("tasking.board", "GET", "/tasking/", ("view",)),
    Route("tasking.give_reason", "POST", "/tasking/reason", ("justification",)),
    Route("tasking.meetings", "GET", "/tasking/meetings"),
    Route("tasking.open_meeting", "POST", "/tasking/meetings",
          ("held_on", "chair", "attendees")),
    Route("tasking.close_meeting", "POST", "/tasking/meetings/{meeting_id}/close", (),
          ("meeting_id",)),
    Route("tasking.cluster", "GET", "/tasking/clusters/{cluster_id}", (), ("cluster_id",)),
    Route("tasking.decide", "POST", "/tasking/clusters/{cluster_id}/decisions",
          ("flag_id", "status", "action", "owner", "due_date", "reason"), ("cluster_id",)),
    Route("tasking.minutes", "GET", "/tasking/meetings/{meeting_id}/minutes", (),
          ("meeting_id",)),
    Route("tasking.minutes_csv", "GET", "/tasking/meetings/{meeting_id}/minutes.csv", (),
          ("meeting_id",)),
    Route("tasking.attendance", "POST", "/tasking/meetings/{meeting_id}/attendance",
          ("attendees",), ("meeting_id",)),
    Route("tasking.agenda_add", "POST", "/tasking/meetings/{meeting_id}/agenda",
          ("cluster_id",), ("meeting_id",)),
    Route("tasking.agenda_change", "POST", "/tasking/meetings/{meeting_id}/agenda/{item_id}",
          ("change",), ("meeting_id", "item_id")),
    Route("tasking.actions", "GET", "/tasking/actions", ("owner",)),
    Route("tasking.referrals", "GET", "/tasking/referrals"),
    Route("tasking.referral_new", "GET", "/tasking/referrals/new",
          ("kind", "flag_id", "cluster_id")),
    Route("tasking.referral_record", "POST", "/tasking/referrals",
          ("kind", "flag_id", "cluster_id", "recipient", "section_concern")),
    Route("tasking.referral_show", "GET", "/tasking/referrals/{referral_id}", (),
          ("referral_id",)),
    Route("tasking.referral_export", "GET", "/tasking/referrals/{referral_id}.json", (),
          ("referral_id",)),
    Route("identities.review", "GET", "/identities/review", ("done",)),
    Route("identities.decide", "POST", "/identities/decide", ("a", "b", "decision", "reason")),
    Route("admin.users_page", "POST", "/admin/users", ("name", "role", "password", "again")),
    Route("admin.user_status", "POST", "/admin/users/{name}/status", ("disabled",), ("name",)),
    Route("admin.user_sign_out", "POST", "/admin/users/{name}/sign-out", (), ("name",)),
    Route("admin.lock_out_clear", "POST", "/admin/lock-outs/clear", ("name", "source")),
    Route("admin.tokens_page", "POST", "/admin/tokens", ("name", "role")),
    Route("admin.token_revoke", "POST", "/admin/tokens/{name}/revoke", (), ("name",)),
    Route("admin.audit_page", "GET", "/admin/audit",
          ("user", "kind", "since", "until", "record")),
    Route("admin.audit_page", "POST", "/admin/audit",
          ("user", "kind", "since", "until", "record", "justification")),
    Route("admin.audit_export", "POST", "/admin/audit/export",
          ("user", "kind", "since", "until", "record", "justification")),
    Route("jobs.index", "GET", "/admin/jobs/"),
    Route("jobs.run", "POST", "/admin/jobs/run", ("rule", "as_of")),
]
# Values that would start real work rather than be refused (a run of every rule in the
# background); the fuzz suite is about what must be refused.
SKIP = {("jobs.run", "rule"): {"", ALL}}

TABLES = {
    "addresses": [{"address_id": "A1", "uprn": "100010001", "line1": "1 Elm Road",
                   "postcode": "NR1 3AB", "latitude": 52.63, "longitude": 1.30}],
    "people": [{"person_id": "P1", "given_name": "Amy", "family_name": "Cole",
                "date_of_birth": "2012-04-04"}],
    "residences": [{"person_id": "P1", "address_id": "A1"}],
    "incidents": [{"incident_id": "D1", "incident_type": "domestic_abuse",
                   "occurred_at": "2024-05-01T21:00:00", "address_id": "A1"}],
}


def test_every_route_is_fuzzed():
    fuzzed = {r.endpoint for r in ROUTES}
    assert set(EXPECTED) - fuzzed - {"static", "auth.sign_out"} == set()


def _role_for(endpoint: str) -> str | None:
    want = EXPECTED[endpoint]
    return None if want == "public" else want[0]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.endpoint}")
def test_no_odd_value_breaks_a_route(route, app, store, web_settings, tmp_path, make_user):
    load_graph(store, web_settings, tmp_path, TABLES)
    run_rule(store, "repeat_domestic_abuse_with_child", concern(("incident_id", "D1", "x")))
    role = _role_for(route.endpoint)
    client = app.test_client()
    headers = {}
    if route.endpoint in TOKEN_ENDPOINTS:
        _token, secret = tokens.issue_token(web_settings, "fuzz", role, by="fuzz")
        headers["Authorization"] = f"Bearer {secret}"
    elif role:
        user = make_user(role, "fuzzer")
        client.post("/sign-in", data={"name": user.name, "password": "correct horse battery "
                                      "staple", "csrf_token": csrf_token(client)})
        if role == "tasking":
            client.post("/tasking/reason", data={"justification": "fuzz", "csrf_token":
                                                 csrf_token(client, "/tasking/")})
        if role == "intelligence":
            client.post("/search/reason", data={"justification": "fuzz", "next": "/",
                                                "csrf_token": csrf_token(client, "/search/")})
    token = csrf_token(client, "/sign-in")
    engine = EmbeddedEngine(web_settings)
    pid = engine.pid()
    names = route.params + route.path_params
    skip = {name: bad for (endpoint, name), bad in SKIP.items() if endpoint == route.endpoint}

    @FUZZ
    @given(values=st.fixed_dictionaries({n: ODD for n in names}))
    def send(values):
        if any(values[name].strip() in bad for name, bad in skip.items()):
            return
        before = graph_state(store)
        path = route.path.format(**{n: quote(values[n], safe="") or "x"
                                    for n in route.path_params})
        data = {n: values[n] for n in route.params}
        if route.method == "POST":
            data["csrf_token"] = token
            response = client.post(path, data=data, headers=headers)
        else:
            response = client.get(path, query_string=data, headers=headers)
        body = response.get_data(as_text=True)
        response.close()
        assert response.status_code < 500, (route.endpoint, values, body[:300])
        for marker in INTERNAL:
            if not any(marker in value for value in values.values()):  # an echo is no leak
                assert marker not in body, (route.endpoint, marker)
        if response.status_code >= 400:
            if response.is_json:
                assert response.get_json()["error"].strip()
            else:
                assert "<h1" in body or 'class="notice' in body, body[:300]
        assert engine.pid() == pid, "the engine restarted: a value crashed it"
        assert graph_state(store) == before, "a request with odd values changed the graph"

    send()
