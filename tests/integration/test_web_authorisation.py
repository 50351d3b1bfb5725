"""Every route, every role: who is let in and who is refused (deny by default).

The expected roles are the route table of docs/roles.md (the written need-to-know table): when
you add a route, add its row there. The test fails for a route that is not listed, declares no
roles, or declares other roles than listed.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.routing import Rule

from graphsvc.model import ROLES, TOKEN_ROLES
from graphsvc.tokens import issue_token
from web.security import PUBLIC, allowed_roles

ANYONE = "public"
ROLES_DOC = Path(__file__).parents[2] / "docs" / "roles.md"


def _table() -> tuple[dict[str, tuple[str, ...] | str], set[str]]:
    """The route table of docs/roles.md: endpoint → roles (or ANYONE), and the endpoints an
    API token may use."""
    text = ROLES_DOC.read_text(encoding="utf-8")
    body = text.split("<!-- routes:", 1)[1].split("<!-- end routes -->", 1)[0]
    lines = [ln for ln in body.splitlines() if ln.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header[2:] == list(ROLES), "docs/roles.md lists the roles in another order"
    expected: dict[str, tuple[str, ...] | str] = {}
    tokens: set[str] = set()
    for line in lines[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        endpoint, marks = cells[0].strip("`"), cells[2:]
        assert endpoint not in expected, f"{endpoint} is listed twice in docs/roles.md"
        assert set(marks) <= {"yes", "token", "anyone", "—"}, line
        if "anyone" in marks:
            assert set(marks) == {"anyone"}, line
            expected[endpoint] = ANYONE
            continue
        expected[endpoint] = tuple(r for r, m in zip(ROLES, marks, strict=True) if m != "—")
        if "token" in marks:
            tokens.add(endpoint)
    return expected, tokens


EXPECTED, TOKEN_ENDPOINTS = _table()


def _url(rule: Rule) -> str:
    """The rule's path with harmless values in its variables."""
    values = {}
    for name in rule.arguments:
        converter = rule._converters[name].__class__.__name__
        values[name] = 1 if converter in ("IntegerConverter", "NumberConverter") else "x"
    if rule.endpoint == "static":
        values["filename"] = "css/site.css"
    return rule.build(values, append_unknown=False)[1]


def _requests(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        for method in sorted((rule.methods or set()) & {"GET", "POST"}):
            yield rule.endpoint, method, _url(rule)


def _send(client, method: str, url: str):
    response = client.open(url, method=method, data={} if method == "POST" else None)
    response.get_data()
    response.close()  # static files are streamed from an open file
    return response


def _signed_out_answer(response) -> bool:
    return response.status_code == 401 or (
        response.status_code == 302 and "/sign-in" in response.headers.get("Location", ""))


def test_every_route_is_listed_and_declares_the_listed_roles(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(EXPECTED) == set(), "routes missing from EXPECTED"
    assert set(EXPECTED) - endpoints == set(), "EXPECTED lists routes that no longer exist"
    for endpoint in sorted(endpoints):
        declared = allowed_roles(app, endpoint)
        assert declared is not None, f"{endpoint} declares no roles"
        want = EXPECTED[endpoint]
        if want == ANYONE:
            assert declared is PUBLIC, f"{endpoint} should be public"
        else:
            assert declared == frozenset(want), f"{endpoint} declares {sorted(declared)}"


def test_a_signed_out_visitor_reaches_only_sign_in_and_static_files(app, client, store):
    for endpoint, method, url in _requests(app):
        response = _send(client, method, url)
        if EXPECTED[endpoint] == ANYONE:
            assert not _signed_out_answer(response), (endpoint, method)
            assert response.status_code < 500, (endpoint, method)
        elif url.startswith("/api/"):
            assert response.status_code == 401, (endpoint, method, response.status_code)
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
        else:
            assert response.status_code == 302, (endpoint, method, response.status_code)
            assert "/sign-in" in response.headers["Location"], (endpoint, method)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_let_in_where_allowed_and_refused_elsewhere(app, store, sign_in_as, role):
    browser = sign_in_as(role)
    for endpoint, method, url in _requests(app):
        if endpoint == "auth.sign_out":
            continue  # would end the session part-way (it is covered in test_web_auth)
        response = _send(browser, method, url)
        want = EXPECTED[endpoint]
        if endpoint in TOKEN_ENDPOINTS:  # a browser session is never enough for the API
            assert response.status_code == 401, (role, endpoint, method)
        elif want == ANYONE or role in want:
            assert response.status_code not in (401, 403), (role, endpoint, method)
            assert not _signed_out_answer(response), (role, endpoint, method)
            assert response.status_code < 500, (role, endpoint, method, response.status_code)
        else:
            assert response.status_code == 403, (role, endpoint, method, response.status_code)


def test_a_route_that_declares_no_roles_is_refused_to_everyone(web_settings, store,
                                                               make_user):
    from tests.conftest import TEST_PASSWORD, csrf_token
    from web import create_app

    app = create_app({"TESTING": True, "GRAPHSVC_SETTINGS": web_settings,
                      "PREFERRED_URL_SCHEME": "https"})
    app.add_url_rule("/forgotten", "forgotten", lambda: "the register, unprotected")
    make_user("admin", "root")
    browser = app.test_client()
    browser.post("/sign-in", data={"name": "root", "password": TEST_PASSWORD,
                                   "csrf_token": csrf_token(browser)})
    assert browser.get("/").status_code == 302  # signed in
    for who in (app.test_client(), browser):
        response = who.get("/forgotten")
        assert response.status_code == 403
        assert "unprotected" not in response.get_data(as_text=True)


@pytest.mark.parametrize("role", TOKEN_ROLES)
def test_api_tokens_reach_the_api_routes_their_role_may_use(app, client, store, web_settings,
                                                            role):
    _token, secret = issue_token(web_settings, f"client-{role}", role, by="test")
    for endpoint, method, url in _requests(app):
        if not url.startswith("/api/"):
            continue
        response = client.open(url, method=method,
                               headers={"Authorization": f"Bearer {secret}"})
        if role in EXPECTED[endpoint] and endpoint in TOKEN_ENDPOINTS:
            assert response.status_code not in (401, 403), (role, endpoint)
            assert response.status_code < 500, (role, endpoint)
        else:
            assert response.status_code == 403, (role, endpoint)


def test_every_api_route_takes_tokens_and_every_token_route_is_an_api_route(app):
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        accepts = getattr(view, "accepts_tokens", False)
        assert accepts == rule.rule.startswith("/api/"), rule.endpoint
        assert accepts == (rule.endpoint in TOKEN_ENDPOINTS), rule.endpoint
