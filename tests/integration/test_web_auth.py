"""Signing in and out, lock-out, sessions, CSRF and the security headers."""

from __future__ import annotations

import html
import time

import pytest

from graphsvc import audit, tokens, users
from tests.conftest import TEST_PASSWORD, csrf_token

pytestmark = pytest.mark.app_dbs


def _sign_in(client, name: str, password: str = TEST_PASSWORD):
    return client.post("/sign-in", data={"name": name, "password": password,
                                         "csrf_token": csrf_token(client)})


def test_signing_in_lands_on_the_roles_page_and_is_recorded(client, make_user, web_settings):
    make_user("control_room", "disp")
    answer = _sign_in(client, "disp")
    assert answer.status_code == 302 and answer.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/address-check/"
    [entry] = audit.search(web_settings, kind="sign_in")
    assert (entry.user, entry.role) == ("disp", "control_room")


def test_the_session_cookie_is_secure_httponly_and_samesite(client, make_user):
    make_user("admin", "root")
    cookie = _sign_in(client, "root").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(client, make_user,
                                                                  web_settings):
    make_user("intelligence", "ana")
    wrong = _sign_in(client, "ana", "not the password at all")
    unknown = _sign_in(client, "nobody", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    text = "The name or password is wrong, or the account is disabled."
    assert text in wrong.get_data(as_text=True) and text in unknown.get_data(as_text=True)
    assert [e.user for e in audit.search(web_settings, kind="sign_in_failed")] == ["nobody",
                                                                                 "ana"]


@pytest.mark.parametrize("name", ["ana", "ghost"])
def test_five_failures_lock_the_name_without_revealing_whether_it_exists(client, make_user,
                                                                         name):
    make_user("intelligence", "ana")
    for _ in range(users.LOCKOUT_FAILURES):
        assert _sign_in(client, name, "guess guess guess").status_code == 401
    locked = _sign_in(client, name, TEST_PASSWORD)
    assert locked.status_code == 401
    assert "Too many failed sign-ins for this name" in locked.get_data(as_text=True)


def test_a_lock_out_ends_after_the_window(web_settings, make_user):
    make_user("intelligence", "ana")
    start = time.time()
    for _ in range(users.LOCKOUT_FAILURES):
        with pytest.raises(users.SignInRefused):
            users.authenticate(web_settings, "ana", "wrong wrong wrong", now=start)
    with pytest.raises(users.SignInRefused, match="locked"):
        users.authenticate(web_settings, "ana", TEST_PASSWORD, now=start + 60)
    later = start + users.LOCKOUT_WINDOW_S + 1
    assert users.authenticate(web_settings, "ana", TEST_PASSWORD, now=later).name == "ana"


def test_a_form_without_its_csrf_token_is_refused(client, make_user):
    make_user("admin", "root")
    answer = client.post("/sign-in", data={"name": "root", "password": TEST_PASSWORD})
    assert answer.status_code == 400
    assert "The form had expired or did not come from this site" in answer.get_data(as_text=True)


def test_a_form_sent_from_another_site_is_refused(client, make_user):
    make_user("admin", "root")
    answer = client.post("/sign-in", headers={"Sec-Fetch-Site": "cross-site"}, data={
        "name": "root", "password": TEST_PASSWORD, "csrf_token": csrf_token(client)})
    assert answer.status_code == 400


def test_every_page_carries_the_security_headers(client, make_user):
    make_user("admin", "root")
    _sign_in(client, "root")
    for path in ("/sign-in", "/admin/users", "/address-check/", "/no-such-page"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        for part in ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'",
                     "object-src 'none'"):
            assert part in csp, (path, part)
        assert "unsafe-inline" not in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["Cache-Control"] == "no-store", path


def test_no_template_uses_inline_script_or_style():
    from pathlib import Path

    import web

    for path in (Path(web.__file__).parent / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "style=" not in text, path
        for chunk in text.split("<script")[1:]:
            assert "src=" in chunk.split(">")[0] or 'type="application/json"' in chunk, path
        for handler in ("onclick=", "onload=", "onsubmit=", "onchange=", "javascript:"):
            assert handler not in text, (path, handler)


def test_sign_in_redirects_only_within_the_site(client, make_user):
    make_user("admin", "root")
    for target, expected in (("/admin/audit", "/admin/audit"), ("//evil.example/", "/"),
                             ("https://evil.example/", "/")):
        fresh = client.application.test_client()
        answer = fresh.post("/sign-in", data={"name": "root", "password": TEST_PASSWORD,
                                              "next": target, "csrf_token": csrf_token(fresh)})
        assert answer.headers["Location"] == expected, target


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(client, make_user):
    make_user("admin", "root")
    first = client.get("/admin/audit?user=x")
    assert first.status_code == 302
    assert first.headers["Location"].startswith("/sign-in?next=")
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert 'name="next" value="/admin/audit?user=x"' in page


def test_signing_out_ends_the_session(client, make_user, web_settings):
    make_user("tasking", "chair")
    _sign_in(client, "chair")
    answer = client.post("/sign-out", data={"csrf_token": csrf_token(client, "/password")})
    assert answer.status_code == 302
    assert client.get("/password").status_code == 302
    assert [e.user for e in audit.search(web_settings, kind="sign_out")] == ["chair"]


def test_an_idle_session_ends(client, make_user):
    make_user("admin", "root")
    _sign_in(client, "root")
    with client.session_transaction() as session:
        session["seen"] = int(time.time()) - 31 * 60
    answer = client.get("/admin/users")
    assert answer.status_code == 302 and "/sign-in" in answer.headers["Location"]
    assert "idle too long" in client.get(answer.headers["Location"]).get_data(as_text=True)


def test_disabling_a_user_ends_their_session_at_the_next_click(client, make_user,
                                                               web_settings):
    make_user("intelligence", "ana")
    _sign_in(client, "ana")
    assert client.get("/password").status_code == 200
    users.set_disabled(web_settings, "ana", True)
    assert client.get("/password").status_code == 302
    assert _sign_in(client, "ana").status_code == 401


def test_a_password_change_needs_the_current_one_and_ends_other_sessions(app, make_user):
    make_user("intelligence", "ana")
    laptop, desk = app.test_client(), app.test_client()
    _sign_in(laptop, "ana")
    _sign_in(desk, "ana")
    token = csrf_token(laptop, "/password")
    wrong = laptop.post("/password", data={"current": "nope nope nope", "new": "x" * 14,
                                           "again": "x" * 14, "csrf_token": token})
    assert wrong.status_code == 400
    assert "The current password is wrong." in wrong.get_data(as_text=True)
    short = laptop.post("/password", data={"current": TEST_PASSWORD, "new": "short",
                                           "again": "short", "csrf_token": token})
    assert "at least 12 characters" in short.get_data(as_text=True)
    done = laptop.post("/password", data={"current": TEST_PASSWORD, "new": "a much longer one",
                                          "again": "a much longer one", "csrf_token": token})
    assert done.status_code == 302
    assert laptop.get("/password").status_code == 200  # this session goes on
    assert desk.get("/password").status_code == 302  # the other one has ended
    assert _sign_in(app.test_client(), "ana", "a much longer one").status_code == 302


def test_the_api_refuses_a_signed_in_session_so_no_cross_site_get_is_recorded(
        client, make_user, store, web_settings):
    make_user("control_room", "disp")
    _sign_in(client, "disp")
    before = audit.count(web_settings)
    answer = client.get("/api/v1/address-check?address_id=NOPE&justification=attacker-1",
                        headers={"Sec-Fetch-Site": "cross-site"})
    assert answer.status_code == 401 and answer.is_json
    assert "API token" in answer.get_json()["error"]
    assert audit.count(web_settings) == before
    assert audit.search(web_settings, kind="consultation") == []


def test_an_admin_issues_a_token_that_then_works_and_is_shown_once(store, sign_in_as):
    admin = sign_in_as("admin")
    page = admin.post("/admin/tokens", data={"name": "cad", "role": "control_room",
                                             "csrf_token": csrf_token(admin, "/admin/tokens")})
    html = page.get_data(as_text=True)
    secret = html.split('<p class="token-secret">')[1].split("<")[0].strip()
    assert secret.startswith(tokens.TOKEN_PREFIX)
    assert secret not in admin.get("/admin/tokens").get_data(as_text=True)
    api = admin.application.test_client()
    call = api.get("/api/v1/address-check?address_id=NOPE&justification=x-1",
                   headers={"Authorization": f"Bearer {secret}"})
    assert call.status_code == 404
    admin.post("/admin/tokens/cad/revoke", data={"csrf_token": csrf_token(admin,
                                                                          "/admin/tokens")})
    call = api.get("/api/v1/address-check?address_id=NOPE&justification=x-1",
                   headers={"Authorization": f"Bearer {secret}"})
    assert call.status_code == 401


def test_a_token_revoked_through_this_process_is_refused_from_the_next_call(
        client, web_settings, monkeypatch):
    monkeypatch.setattr(tokens, "LIVE_RECHECK_S", 3600.0)  # found live once: remembered
    _info, secret = tokens.issue_token(web_settings, "cad", "control_room", by="test")
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/openapi.json", headers=auth).status_code == 200
    assert client.get("/api/v1/openapi.json", headers=auth).status_code == 200
    tokens.revoke_token(web_settings, "cad")
    assert client.get("/api/v1/openapi.json", headers=auth).status_code == 401


def test_a_token_revoked_by_another_process_is_refused_once_the_recheck_is_due(
        client, web_settings, run_cli, monkeypatch):
    monkeypatch.setattr(tokens, "LIVE_RECHECK_S", 0.5)
    _info, secret = tokens.issue_token(web_settings, "cad", "control_room", by="test")
    auth = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/openapi.json", headers=auth).status_code == 200
    env = {"GRAPHSVC_APP_DIR": str(web_settings.app_dir), "GRAPHSVC_APP_DB": web_settings.app_db}
    revoked = run_cli("tokens", "revoke", "cad", env=env)  # the command line: another process
    assert revoked.returncode == 0, revoked.stderr
    time.sleep(tokens.LIVE_RECHECK_S)
    refused = client.get("/api/v1/openapi.json", headers=auth)
    assert refused.status_code == 401 and "revoked" in refused.get_json()["error"]


def test_an_admin_adds_and_disables_users_on_the_page(sign_in_as, web_settings):
    admin = sign_in_as("admin", "root")
    token = csrf_token(admin, "/admin/users")
    added = admin.post("/admin/users", data={"name": "newbie", "role": "tasking",
                                             "password": TEST_PASSWORD, "again": TEST_PASSWORD,
                                             "csrf_token": token})
    assert added.status_code == 302
    assert users.find_user(web_settings, "newbie").role == "tasking"
    admin.post("/admin/users/newbie/status", data={"disabled": "1", "csrf_token": token})
    assert users.find_user(web_settings, "newbie").disabled
    own = admin.post("/admin/users/root/status", data={"disabled": "1", "csrf_token": token})
    assert own.status_code == 400
    actions = [e.action for e in audit.search(web_settings, user="root",
                                              kind="administration")]
    assert actions == ["user disabled", "user added"]


def test_the_audit_page_searches_and_exports_and_both_are_recorded(sign_in_as, web_settings):
    audit.record(web_settings, user="disp", role="control_room", kind="consultation",
                 action="address check", asked={"uprn": "1"}, shown=["address_id=A1"],
                 justification="INC-1")
    admin = sign_in_as("admin", "root")
    form = admin.get("/admin/audit").get_data(as_text=True)
    assert "INC-1" not in form  # nothing shown without a reason
    page = admin.post("/admin/audit", data={
        "record": "address_id=A1", "justification": "DPO check 4",
        "csrf_token": csrf_token(admin, "/admin/audit")}).get_data(as_text=True)
    assert "INC-1" in page
    export = admin.post("/admin/audit/export", data={
        "record": "address_id=A1", "justification": "DPO review",
        "csrf_token": csrf_token(admin, "/admin/audit")})
    assert export.status_code == 200 and export.mimetype == "text/csv"
    assert "INC-1" in export.get_data(as_text=True)
    kinds = [(e.kind, e.action) for e in audit.search(web_settings, user="root")]
    assert ("disclosure", "audit log exported (CSV)") in kinds
    assert ("consultation", "audit log searched") in kinds
    [looked] = [e for e in audit.search(web_settings, user="root")
                if e.action == "audit log searched"]
    assert looked.justification == "DPO check 4"
    assert audit.verify(web_settings) == []


def test_an_unfiltered_look_at_the_audit_log_is_recorded_with_its_reason(sign_in_as,
                                                                         web_settings):
    admin = sign_in_as("admin", "root")
    refused = admin.post("/admin/audit", data={"csrf_token": csrf_token(admin, "/admin/audit")})
    assert refused.status_code == 400 and "reason" in refused.get_data(as_text=True)
    shown = admin.post("/admin/audit", data={"justification": "Weekly review",
                                             "csrf_token": csrf_token(admin, "/admin/audit")})
    assert shown.status_code == 200 and 'id="audit-entries"' in shown.get_data(as_text=True)
    [entry] = [e for e in audit.search(web_settings, user="root")
               if e.action == "audit log searched"]
    assert entry.justification == "Weekly review" and entry.asked == {}


@pytest.mark.parametrize("target", ["/\t/evil.example", "/%09/evil.example", "/\\evil.example",
                                    "///evil.example", "/\r\nSet-Cookie: x=1", "/ /evil.example"])
def test_sign_in_never_redirects_off_site_whatever_next_holds(app, make_user, target):
    make_user("admin", "root")
    fresh = app.test_client()
    shown = fresh.get("/sign-in", query_string={"next": target})
    assert shown.status_code == 200
    answer = fresh.post("/sign-in", data={"name": "root", "password": TEST_PASSWORD,
                                          "next": target, "csrf_token": csrf_token(fresh)})
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location == "/" or (location.startswith("/") and not location.startswith("//")
                               and "\t" not in location and "\\" not in location)
    assert "evil" not in location


def test_the_open_redirect_of_issue_13_lands_on_the_home_page(app, make_user):
    make_user("admin", "root")
    fresh = app.test_client()
    page = fresh.get("/sign-in?next=/%09/evil.example").get_data(as_text=True)
    assert "evil.example" not in page
    answer = fresh.post("/sign-in?next=/%09/evil.example", data={
        "name": "root", "password": TEST_PASSWORD, "csrf_token": csrf_token(fresh)})
    assert answer.headers["Location"] == "/"


def _cookie(client) -> str:
    return client.get_cookie("graphsvc_session").value


def _replay(app, value: str):
    thief = app.test_client()
    thief.set_cookie("graphsvc_session", value, domain="localhost")
    return thief.get("/password")


def test_a_cookie_replayed_after_sign_out_is_refused(app, make_user):
    make_user("tasking", "chair")
    browser = app.test_client()
    _sign_in(browser, "chair")
    copied = _cookie(browser)
    assert _replay(app, copied).status_code == 200  # the copy works while the session lives
    browser.post("/sign-out", data={"csrf_token": csrf_token(browser, "/password")})
    replayed = _replay(app, copied)
    assert replayed.status_code == 302 and "/sign-in" in replayed.headers["Location"]


def test_the_session_id_changes_at_sign_in(app, make_user):
    make_user("tasking", "chair")
    browser = app.test_client()
    _sign_in(browser, "chair")
    first = _cookie(browser)
    _sign_in(browser, "chair")
    assert _cookie(browser) != first
    assert _replay(app, first).status_code == 302  # the earlier session ended


def test_an_admin_signs_a_user_out_everywhere(app, make_user, sign_in_as, web_settings):
    make_user("intelligence", "ana")
    laptop, desk = app.test_client(), app.test_client()
    _sign_in(laptop, "ana")
    _sign_in(desk, "ana")
    admin = sign_in_as("admin", "root")
    done = admin.post("/admin/users/ana/sign-out",
                      data={"csrf_token": csrf_token(admin, "/admin/users")})
    assert done.status_code == 302
    assert laptop.get("/password").status_code == 302
    assert desk.get("/password").status_code == 302
    assert admin.get("/password").status_code == 200
    assert ("administration", "user signed out everywhere") in [
        (e.kind, e.action) for e in audit.search(web_settings, user="root")]


def test_disabling_a_user_refuses_a_copied_cookie_even_when_re_enabled(app, make_user,
                                                                      web_settings):
    make_user("intelligence", "ana")
    browser = app.test_client()
    _sign_in(browser, "ana")
    copied = _cookie(browser)
    users.set_disabled(web_settings, "ana", True)
    users.set_disabled(web_settings, "ana", False)
    assert _replay(app, copied).status_code == 302


def _from(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_stranger_cannot_lock_a_user_out_of_their_own_workstation(app, make_user):
    make_user("control_room", "disp")
    desk = _from(app, "10.0.0.5")
    assert _sign_in(desk, "disp").status_code == 302  # the operator's usual computer
    for n in range(30):  # a stranger guessing from several addresses
        stranger = _from(app, f"192.0.2.{n % 3}")
        assert _sign_in(stranger, "disp", "guess guess guess").status_code == 401
    assert "Too many failed sign-ins" in _sign_in(_from(app, "192.0.2.1"), "disp").get_data(
        as_text=True)
    assert _sign_in(_from(app, "10.0.0.5"), "disp").status_code == 302


def test_one_address_guessing_many_names_is_refused(app, make_user):
    make_user("control_room", "disp")
    stranger = _from(app, "192.0.2.9")
    for n in range(users.LOCKOUT_SOURCE_FAILURES):
        _sign_in(stranger, f"name{n}", "guess guess guess")
    refused = _sign_in(stranger, "disp")
    assert refused.status_code == 401
    assert "from this computer" in refused.get_data(as_text=True)


def test_concurrent_guesses_never_exceed_the_limit(web_settings, make_user):
    from concurrent.futures import ThreadPoolExecutor

    make_user("intelligence", "ana")

    def guess(_):
        try:
            users.authenticate(web_settings, "ana", "wrong wrong wrong", source="192.0.2.7")
        except users.SignInRefused as exc:
            return str(exc)

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(guess, range(40)))
    checked = [a for a in answers if "is wrong" in a]
    assert len(checked) == users.LOCKOUT_FAILURES
    assert len(answers) - len(checked) == 40 - users.LOCKOUT_FAILURES


def test_an_admin_sees_a_lock_out_and_clears_it(app, make_user, sign_in_as, web_settings):
    make_user("intelligence", "ana")
    for _ in range(users.LOCKOUT_FAILURES):
        _sign_in(app.test_client(), "ana", "guess guess guess")
    assert "Too many" in _sign_in(app.test_client(), "ana").get_data(as_text=True)
    admin = sign_in_as("admin", "root")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert 'id="lock-outs"' in page and "ana" in page
    cleared = admin.post("/admin/lock-outs/clear", data={
        "name": "ana", "source": "127.0.0.1", "csrf_token": csrf_token(admin, "/admin/users")})
    assert cleared.status_code == 302
    assert _sign_in(app.test_client(), "ana").status_code == 302
    assert ("administration", "lock-out cleared") in [
        (e.kind, e.action) for e in audit.search(web_settings, user="root")]


def test_a_failed_sign_in_as_a_formula_exports_as_a_neutral_cell(app, sign_in_as, web_settings):
    import csv
    import io

    stranger = app.test_client()
    assert _sign_in(stranger, '=HYPERLINK("x")', "guess guess guess").status_code == 401
    admin = sign_in_as("admin", "root")
    export = admin.post("/admin/audit/export", data={
        "kind": "sign_in_failed", "justification": "DPO review",
        "csrf_token": csrf_token(admin, "/admin/audit")})
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [r["user"] for r in rows] == ['\'=HYPERLINK("x")']
    assert all(not cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())


def test_an_overlong_parameter_is_refused_naming_it(app, make_user, sign_in_as):
    fresh = app.test_client()
    page = fresh.get("/sign-in", query_string={"next": "/x" + "y" * 3000})
    assert page.status_code == 400
    assert "The field 'next' is 3002 characters long; at most 2000" in html.unescape(
        page.get_data(as_text=True))
    officer = sign_in_as("control_room")
    answer = officer.post("/address-check/", data={
        "find": "NR1 3AB", "justification": "j" * 501,
        "csrf_token": csrf_token(officer, "/address-check/")})
    assert answer.status_code == 400
    assert "'justification'" in html.unescape(answer.get_data(as_text=True))


def test_a_control_character_in_a_parameter_is_refused_naming_it(app, make_user, sign_in_as):
    officer = sign_in_as("tasking")
    answer = officer.get("/tasking/actions", query_string={"owner": "\x00"})
    assert answer.status_code == 400
    assert "The field 'owner' holds a control character" in html.unescape(
        answer.get_data(as_text=True))
    kept = officer.get("/tasking/actions", query_string={"owner": "DS\tSmith"})
    assert kept.status_code != 400
