"""The address check on the real engine: what it finds, what each role sees, and its audit trail."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest

from graphsvc import audit, tokens
from graphsvc.address_check import (
    Briefing,
    Candidates,
    ControlRoomBriefing,
    FullBriefing,
    as_json,
    check_address,
)
from graphsvc.errors import InputError, NotFound
from tests.conftest import csrf_token
from tests.factories import load_graph

AS_OF = "2025-03-01"

# 1 Elm Road: a child on a plan, her mother (who carries a warning marker), a looked-after
# child placed from Essex who went missing last month, a CAWN protecting the child, two recent
# domestic abuse incidents (and one too old to count), four violent incidents in the last year
# (and one older). The address itself carries a marker.
# 9 Oak Road, 111 m north: a registered sex offender, RoSH very high, under a SHPO, and the
# subject of the CAWN.
# 30 Ash Road, ~890 m north: a low-risk offender (inside the default 1,000 m, outside 500 m).
# 4 Mill Lane: an offender whose residence ended last year.
# Flats 1 and 2 share one building and postcode NR1 3FF.
TABLES = {
    "addresses": [
        {"address_id": "A1", "uprn": "100010001", "line1": "1 Elm Road", "town": "Norwich",
         "postcode": "NR1 3AB", "latitude": 52.6300, "longitude": 1.3000,
         "warning_markers": "drugs"},
        {"address_id": "A2", "uprn": "100010002", "line1": "9 Oak Road", "town": "Norwich",
         "postcode": "NR1 3AC", "latitude": 52.6310, "longitude": 1.3000},
        {"address_id": "A3", "uprn": "100010003", "line1": "30 Ash Road", "town": "Norwich",
         "postcode": "NR1 3AD", "latitude": 52.6380, "longitude": 1.3000},
        {"address_id": "A4", "uprn": "100010004", "line1": "4 Mill Lane", "town": "Norwich",
         "postcode": "NR1 3AE", "latitude": 52.6300, "longitude": 1.3020},
        {"address_id": "F1", "line1": "Flat 1", "line2": "Quay House", "town": "Norwich",
         "postcode": "NR1 3FF", "latitude": 52.6200, "longitude": 1.2900},
        {"address_id": "F2", "line1": "Flat 2", "line2": "Quay House", "town": "Norwich",
         "postcode": "NR1 3FF", "latitude": 52.6200, "longitude": 1.2900},
        {"address_id": "H1", "line1": "The Beeches", "town": "Wymondham", "postcode": "NR18 0AA",
         "address_type": "childrens_home"},
        {"address_id": "H2", "line1": "12 Vale Walk", "town": "Norwich", "postcode": "NR1 3ZZ",
         "address_type": "foster_home", "latitude": 52.6290, "longitude": 1.3000},
    ],
    "people": [
        {"person_id": "C1", "given_name": "Amy", "family_name": "Brook",
         "date_of_birth": "2015-01-01"},
        {"person_id": "M1", "given_name": "Mary", "family_name": "Brook",
         "date_of_birth": "1985-01-01", "warning_markers": "weapons"},
        {"person_id": "L1", "given_name": "Leo", "family_name": "Field",
         "date_of_birth": "2012-01-01"},
        {"person_id": "O1", "given_name": "Oscar", "family_name": "Vane",
         "date_of_birth": "1970-01-01"},
        {"person_id": "O2", "given_name": "Owen", "family_name": "Lowe",
         "date_of_birth": "1960-01-01"},
        {"person_id": "O3", "given_name": "Otto", "family_name": "Gone",
         "date_of_birth": "1965-01-01"},
    ],
    "residences": [
        {"person_id": "C1", "address_id": "A1", "start_date": "2020-01-01"},
        {"person_id": "M1", "address_id": "A1", "start_date": "2020-01-01"},
        {"person_id": "O1", "address_id": "A2", "start_date": "2021-01-01"},
        {"person_id": "O2", "address_id": "A3", "start_date": "2021-01-01"},
        {"person_id": "O3", "address_id": "A4", "start_date": "2018-01-01",
         "end_date": "2024-01-01"},
    ],
    "offenders": [
        {"person_id": "O1", "registered_from": "2019-01-01", "rosh_level": "very_high",
         "mappa_category": "1", "mappa_level": "2", "visor_ref": "V001",
         "risk_management_summary": "Weekly home visits; polygraph; no contact with children."},
        {"person_id": "O2", "registered_from": "2019-01-01", "rosh_level": "low",
         "mappa_category": "1", "mappa_level": "1"},
        {"person_id": "O3", "registered_from": "2015-01-01", "rosh_level": "high",
         "mappa_category": "1"},
    ],
    "orders": [
        {"order_id": "OR1", "person_id": "O1", "order_type": "shpo", "start_date": "2019-01-01",
         "prohibits_child_contact": True},
        {"order_id": "OR2", "person_id": "O1", "order_type": "cawn", "start_date": "2024-06-01",
         "protected_person_ids": ["C1"], "conditions": "Not to contact the named child."},
    ],
    "protection_plans": [
        {"plan_id": "PP1", "person_id": "C1", "category": "sexual_abuse",
         "start_date": "2024-01-01", "local_authority": "Norfolk County Council",
         "lead_professional": "Sue Hale", "lead_contact": "01632 960111"},
    ],
    "placements": [
        {"placement_id": "PL1", "person_id": "L1", "address_id": "A1",
         "placing_authority": "Essex", "area_authority": "Norfolk", "placement_type": "foster",
         "legal_basis": "s31", "start_date": "2024-06-01"},
    ],
    "incidents": [
        {"incident_id": "I1", "incident_type": "domestic_abuse",
         "occurred_at": "2025-01-05T22:00:00", "address_id": "A1", "risk_grade": "medium"},
        {"incident_id": "I2", "incident_type": "domestic_abuse",
         "occurred_at": "2024-08-05T22:00:00", "address_id": "A1", "risk_grade": "standard"},
        {"incident_id": "I3", "incident_type": "domestic_abuse",
         "occurred_at": "2023-01-05T22:00:00", "address_id": "A1", "risk_grade": "high"},
        *[{"incident_id": f"V{n}", "incident_type": "violence", "occurred_at": day,
           "address_id": "A1", "summary": "A fight on the doorstep"}
          for n, day in enumerate(["2024-03-02", "2024-06-01", "2024-11-11", "2025-02-20",
                                   "2023-12-01"])],
        {"incident_id": "M9", "incident_type": "missing", "occurred_at": "2025-02-01T20:00:00",
         "address_id": "A1", "risk_grade": "medium", "returned_at": "2025-02-02T09:00:00"},
    ],
    "incident_people": [{"incident_id": "M9", "person_id": "L1", "role": "missing_person"}],
}


@pytest.fixture
def county(store, settings, tmp_path):
    load_graph(store, settings, tmp_path, TABLES)
    return store


def _texts(result: Briefing) -> list[str]:
    return [w["text"] for w in result.warnings]


def test_control_room_is_told_who_is_at_risk_and_what_the_risk_is(county):
    result = check_address(county, {"uprn": "100010001"}, role="control_room", as_of=AS_OF)
    assert result.status == "found" and result.view == "restricted"
    assert isinstance(result, ControlRoomBriefing) and not hasattr(result, "residents")
    assert result.radius_m == 1000  # the proximity rule's radius
    [child] = result.children_on_protection_plans
    assert (child["name"], child["age"]) == ("Amy Brook", 10)
    assert child["plans"] == [{"category": "sexual_abuse", "start_date": date(2024, 1, 1),
                               "local_authority": "Norfolk County Council",
                               "lead_professional": "Sue Hale", "lead_contact": "01632 960111"}]
    [placed] = result.looked_after_children
    assert (placed["name"], placed["age"], placed["placing_authority"], placed["legal_basis"]) \
        == ("Leo Field", 13, "Essex", "s31")
    assert placed["missing_last_90_days"]["count"] == 1
    assert placed["missing_last_90_days"]["last_date"] == "2025-02-01"
    named, other = result.offenders_nearby
    assert (named["name"], named["distance_m"], named["direction"], named["named"]) == (
        "Oscar Vane", 111, "north", True)
    assert named["why_named"] == ("subject of a child abduction warning notice protecting "
                                  "someone here")
    assert (other["name"], other["distance_m"], other["direction"], other["label"]) == (
        None, 890, "north", "RoSH low, 890 m north")
    [cawn] = [o for o in result.orders if o["order_type"] == "cawn"]
    assert cawn["conditions"] == "Not to contact the named child."
    violence = next(t for t in result.officer_safety["types"]
                    if t["incident_type"] == "violence")
    assert (violence["count"], violence["last_date"]) == (4, "2025-02-20")
    assert result.care_settings_nearby == [
        {"address_type": "foster_home", "distance_m": 111, "bearing_deg": 180.0,
         "direction": "south", "label": "A foster home, 111 m south"}]
    kinds = sorted(p["kind"] for p in result.picture["points"])
    assert kinds == ["care_setting", "offender", "offender"]
    assert result.warning_markers["address"] == ["drugs"]
    assert result.warning_markers["people"] == [{"name": "Mary Brook", "age": 40,
                                                    "markers": ["weapons"]}]
    texts = _texts(result)
    assert "Violence: 4 in the last 12 months, last on 20 February 2025." in texts
    assert "A child placed here has gone missing in the last 90 days." in texts
    # what the control room still does not see: ids, dates of birth, summaries, other addresses
    flat = repr({k: v for k, v in as_json(result).items() if k not in ("shown", "address")})
    for secret in ("C1", "PP1", "PL1", "OR2", "V001", "I1", "A2", "A3", "H2", "Vale Walk",
                   "2015-01-01", "fight", "incident_id", "person_id"):
        assert secret not in flat, f"{secret} reached the control room"
    # everything shown is in the audit's records shown
    assert set(result.shown) >= {"person_id=C1", "person_id=L1", "person_id=O1",
                                    "person_id=O2", "plan_id=PP1", "placement_id=PL1",
                                    "order_id=OR2", "incident_id=M9", "incident_id=V3"}


def test_an_offender_living_at_the_address_is_named_with_orders_and_risk_plan(county):
    result = check_address(county, {"postcode": "nr13ac"}, role="control_room", as_of=AS_OF)
    [offender] = result.offenders_here
    assert (offender["name"], offender["rosh_level"], offender["mappa_category"],
            offender["mappa_level"]) == ("Oscar Vane", "very_high", "1", "2")
    assert offender["risk_management_summary"] == ("Weekly home visits; polygraph; no contact "
                                                   "with children.")
    assert {o["order_type"]: o["conditions"] for o in offender["orders"]} == {
        "shpo": None, "cawn": "Not to contact the named child."}
    assert ("A registered sex offender (RoSH very high) under an order that prohibits contact "
            "with children lives here.") in _texts(result)
    assert result.counts["offenders_living_here"] == 1


def test_intelligence_sees_names_ids_and_details(county):
    result = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=AS_OF)
    assert result.view == "full" and isinstance(result, FullBriefing)
    assert [p["person_id"] for p in result.children_on_protection_plans] == ["C1"]
    assert result.children_on_protection_plans[0]["plans"][0]["category"] == "sexual_abuse"
    assert [c["name"] for c in result.looked_after_children] == ["Leo Field"]
    assert [(o["name"], o["distance_m"], o["address_id"]) for o in result.offenders_nearby] \
        == [("Oscar Vane", 111, "A2"), ("Owen Lowe", 890, "A3")]
    [order] = result.orders
    assert order["order_type"] == "cawn" and order["relation"] == "protects_someone_here"
    assert order["subject_name"] == "Oscar Vane" and order["protected"][0]["name"] == "Amy Brook"
    assert [i["incident_id"] for i in result.domestic_abuse["incidents"]] == ["I1", "I2"]
    assert set(result.shown) >= {"address_id=A1", "person_id=C1", "person_id=L1",
                                    "person_id=O1", "plan_id=PP1", "order_id=OR2",
                                    "incident_id=I1", "placement_id=PL1"}


def test_the_radius_decides_which_offenders_count_as_nearby(county):
    wide = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=AS_OF)
    assert [o["person_id"] for o in wide.offenders_nearby] == ["O1", "O2"]
    assert ("One other registered offender (RoSH low or medium) lives nearby, the nearest "
            "890 m north." in _texts(wide))
    middle = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=AS_OF,
                           radius_m=500)
    assert [o["person_id"] for o in middle.offenders_nearby] == ["O1"]
    narrow = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=AS_OF,
                           radius_m=50)
    # the CAWN's subject is tied to this address: listed whatever the radius
    [tied] = narrow.offenders_nearby
    assert (tied["person_id"], tied["within_radius"], tied["distance_m"]) == ("O1", False, 111)
    assert narrow.counts["offenders_nearby"] == 0


def test_ended_residences_and_old_incidents_do_not_count(county):
    result = check_address(county, {"address_id": "A4"}, role="intelligence", as_of=AS_OF,
                           radius_m=100)
    assert result.residents == [] and result.offenders_nearby == []
    before = check_address(county, {"address_id": "A4"}, role="intelligence",
                           as_of="2023-06-01", radius_m=100)
    assert [o["person_id"] for o in before.offenders_here] == ["O3"]
    a1_2023 = check_address(county, {"address_id": "A1"}, role="intelligence",
                            as_of="2023-02-01")
    assert [i["incident_id"] for i in a1_2023.domestic_abuse["incidents"]] == ["I3"]


def test_offenders_nearby_are_those_living_there_on_the_day_checked(county):
    # 4 Mill Lane, 135 m east: O3 from 2018 to 2024-01-01 (the last day counts); O1 and O2
    # live nearby from 2021 (the CAWN tying O1 here begins in June 2024).
    def nearby(day: str) -> list[str]:
        result = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=day)
        return [o["person_id"] for o in result.offenders_nearby]

    assert nearby("2020-06-01") == ["O3"]
    assert nearby("2024-01-01") == ["O1", "O3", "O2"]
    assert nearby("2024-01-02") == ["O1", "O2"]


def test_offenders_nearby_are_those_on_the_register_on_the_day_checked(
        county, settings, tmp_path, monkeypatch):
    """Homes and registrations are held in memory: a registration ended by an import is seen
    by the next check, counting to its last day, and another process's is seen once the
    version is read (the offender's stamp moves)."""
    monkeypatch.setattr("graphsvc.address_check.query.HOMES_RECHECK_S", 3600.0)

    def nearby(day: str) -> list[str]:
        result = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=day)
        return [o["person_id"] for o in result.offenders_nearby]

    assert nearby("2024-10-01") == ["O1", "O2"]
    load_graph(county, settings, tmp_path, {"offenders": [
        {"person_id": "O2", "registered_from": "2019-01-01", "registered_until": "2024-09-30",
         "rosh_level": "low", "mappa_category": "1", "mappa_level": "1"}]})
    assert nearby("2024-09-30") == ["O1", "O2"]
    assert nearby("2024-10-01") == ["O1"]
    # before the CAWN that ties O1 to A1 whether nearby or not
    assert nearby("2024-05-01") == ["O1", "O2"]
    monkeypatch.setattr("graphsvc.address_check.query.HOMES_RECHECK_S", 0.0)
    monkeypatch.setattr("graphsvc.search.index.writes_made", lambda: 0)  # another process
    load_graph(county, settings, tmp_path, {"offenders": [
        {"person_id": "O1", "registered_from": "2024-05-02", "rosh_level": "very_high",
         "mappa_category": "1", "mappa_level": "2", "visor_ref": "V001"}]})
    assert nearby("2024-05-01") == ["O2"]
    assert nearby("2024-05-02") == ["O1", "O2"]


def test_an_ambiguous_postcode_lists_candidates_instead_of_guessing(county):
    result = check_address(county, {"postcode": "NR1 3FF"}, role="control_room", as_of=AS_OF)
    assert result.status == "ambiguous" and isinstance(result, Candidates)
    assert [c["label"] for c in result.candidates] == [
        "Flat 1, Quay House, Norwich, NR1 3FF", "Flat 2, Quay House, Norwich, NR1 3FF"]
    narrowed = check_address(county, {"q": "flat 2 NR1 3FF"}, role="control_room", as_of=AS_OF)
    assert narrowed.status == "found" and narrowed.address["address_id"] == "F2"


def test_a_point_resolves_to_the_only_address_there_and_lists_several(county):
    one = check_address(county, {"lat": "52.63001", "lon": "1.30001"}, role="control_room",
                        as_of=AS_OF)
    assert one.status == "found" and one.address["address_id"] == "A1"
    two = check_address(county, {"lat": "52.62", "lon": "1.29"}, role="control_room",
                        as_of=AS_OF)
    assert two.status == "ambiguous"
    assert {c["address_id"] for c in two.candidates} == {"F1", "F2"}


def test_a_grid_reference_is_converted_and_resolved(county):
    from graphsvc.importer.normalise import wgs84_to_grid

    easting, northing = wgs84_to_grid(52.6300, 1.3000)
    result = check_address(county, {"easting": str(round(easting, 1)),
                                    "northing": str(round(northing, 1))},
                           role="control_room", as_of=AS_OF)
    assert result.address["address_id"] == "A1"


def test_free_text_finds_addresses_by_their_words(county):
    result = check_address(county, {"q": "elm road norwich"}, role="control_room", as_of=AS_OF)
    assert result.status == "found" and result.address["address_id"] == "A1"


def test_an_address_without_coordinates_is_checked_without_nearby_offenders(county):
    result = check_address(county, {"address_id": "H1"}, role="control_room", as_of=AS_OF)
    assert result.located is False and result.offenders_nearby == []
    assert result.counts["offenders_nearby"] is None  # never "0 offenders nearby"
    assert result.picture is None
    assert "This address is a children's home." in _texts(result)
    assert ("No coordinates are recorded for this address: the distances to offenders nearby "
            "could not be checked.") in _texts(result)


@pytest.mark.parametrize("query, radius, message", [
    ({}, 500, "Give one of"),
    ({"uprn": "12ab"}, 500, "Parameter uprn"),
    ({"postcode": "NR1"}, 500, "Parameter postcode"),
    ({"lat": "52.6"}, 500, "Give both lat and lon"),
    ({"lat": "40.0", "lon": "1.3"}, 500, "Parameter lat"),
    ({"lat": "nan", "lon": "1.3"}, 500, "Parameter lat"),
    ({"uprn": "100010001", "postcode": "NR1 3AB"}, 500, "only one way"),
    ({"uprn": "100010001"}, 0, "Parameter radius_m"),
    ({"uprn": "100010001"}, "far", "Parameter radius_m"),
    ({"uprn": "100010001"}, 99999, "Parameter radius_m"),
])
def test_bad_input_is_refused_in_plain_words(county, query, radius, message):
    with pytest.raises(InputError, match=message):
        check_address(county, query, role="control_room", radius_m=radius)


def test_an_unknown_address_is_not_found(county):
    with pytest.raises(NotFound, match="UPRN 999"):
        check_address(county, {"uprn": "999"}, role="control_room")
    with pytest.raises(NotFound):
        check_address(county, {"address_id": "NOPE"}, role="control_room")


# --- the page and the API, and what they leave in the audit log ---------------------------


def _entries(web_settings, user):
    return audit.search(web_settings, user=user, kind="consultation")


def test_the_page_shows_the_check_and_records_it_with_the_reason(county, sign_in_as,
                                                                 web_settings):
    browser = sign_in_as("control_room", "dispatcher1")
    page = browser.post("/address-check/", data={
        "find": "100010001", "justification": "INC-2025-0042",
        "csrf_token": csrf_token(browser, "/address-check/")})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "A child on a child protection plan lives here." in html
    # the child, her plan's category and the offender tied to her by an order, by name
    assert "Amy Brook" in html and "sexual abuse" in html and "Oscar Vane" in html
    assert "Sue Hale, 01632 960111" in html and '<svg class="surroundings"' in html
    # no ids or dates of birth ("C1" as a word: a random CSRF token may hold the letters)
    assert not re.search(r"(?<![\w.-])C1(?![\w.-])", html) and "2015-01-01" not in html
    assert "Owen Lowe" not in html and "RoSH low, 890 m north" in html
    [entry] = _entries(web_settings, "dispatcher1")
    assert entry.action == "address check" and entry.justification == "INC-2025-0042"
    assert entry.asked == {"uprn": "100010001"}
    assert "person_id=C1" in entry.shown and "address_id=A1" in entry.shown
    assert audit.verify(web_settings) == []


def test_the_page_refuses_a_check_without_a_reason(county, sign_in_as, web_settings):
    browser = sign_in_as("intelligence", "analyst1")
    page = browser.post("/address-check/", data={
        "find": "100010001", "justification": " ",
        "csrf_token": csrf_token(browser, "/address-check/")})
    assert page.status_code == 400
    assert "Give the reason for this check" in page.get_data(as_text=True)
    assert _entries(web_settings, "analyst1") == []


def test_the_page_lists_candidates_and_a_choice_completes_the_check(county, sign_in_as):
    browser = sign_in_as("intelligence")
    token = csrf_token(browser, "/address-check/")
    listing = browser.post("/address-check/", data={"find": "NR1 3FF", "justification": "x-1",
                                                    "csrf_token": token})
    html = listing.get_data(as_text=True)
    assert "Several addresses match" in html and "Flat 2, Quay House" in html
    chosen = browser.post("/address-check/", data={"address_id": "F2", "justification": "x-1",
                                                   "csrf_token": token})
    assert "Flat 2, Quay House, Norwich, NR1 3FF" in chosen.get_data(as_text=True)


def test_the_printable_briefing_is_recorded_as_a_disclosure(county, sign_in_as, web_settings):
    browser = sign_in_as("control_room", "dispatcher2")
    page = browser.post("/address-check/briefing", data={
        "address_id": "A1", "justification": "INC-7", "csrf_token":
            csrf_token(browser, "/address-check/")})
    assert page.status_code == 200
    assert "Address briefing" in page.get_data(as_text=True)
    [entry] = audit.search(web_settings, user="dispatcher2", kind="disclosure")
    assert entry.justification == "INC-7" and "address_id=A1" in entry.shown


def test_the_api_answers_a_token_client_and_records_the_call(county, client, web_settings):

    _token, secret = tokens.issue_token(web_settings, "cad-system", "control_room", by="test")
    answer = client.get("/api/v1/address-check",
                        query_string={"postcode": "NR1 3AB", "justification": "CAD 991"},
                        headers={"Authorization": f"Bearer {secret}"})
    assert answer.status_code == 200, answer.get_data(as_text=True)
    body = answer.get_json()
    assert body["status"] == "found" and body["view"] == "restricted"
    assert body["address"]["address_id"] == "A1" and body["as_of"] == date.today().isoformat()
    assert "shown" not in body
    assert answer.headers["Cache-Control"] == "no-store"
    [entry] = _entries(web_settings, "token:cad-system")
    assert entry.justification == "CAD 991" and entry.action == "address check (API)"
    assert "person_id=C1" in entry.shown


def test_the_api_explains_bad_input_missing_reasons_and_unknown_addresses(county, client,
                                                                          web_settings):

    _token, secret = tokens.issue_token(web_settings, "cad", "control_room", by="test")
    auth = {"Authorization": f"Bearer {secret}"}
    no_reason = client.get("/api/v1/address-check?uprn=100010001", headers=auth)
    assert no_reason.status_code == 400 and "reason" in no_reason.get_json()["error"]
    bad = client.get("/api/v1/address-check?lat=52.6&justification=x-1", headers=auth)
    assert bad.status_code == 400 and "lat and lon" in bad.get_json()["error"]
    missing = client.get("/api/v1/address-check?uprn=424242&justification=x-1", headers=auth)
    assert missing.status_code == 404 and "424242" in missing.get_json()["error"]
    [entry] = _entries(web_settings, "token:cad")  # the unknown address was still a look-up
    assert entry.asked == {"uprn": "424242"} and entry.shown == []


def test_the_api_refuses_revoked_and_unknown_tokens(county, client, web_settings):

    _token, secret = tokens.issue_token(web_settings, "old-cad", "control_room", by="test")
    tokens.revoke_token(web_settings, "old-cad")
    for header in (f"Bearer {secret}", "Bearer gsv_guess", "Basic abc"):
        answer = client.get("/api/v1/address-check?uprn=100010001&justification=x-1",
                            headers={"Authorization": header})
        assert answer.status_code == 401, header
        assert answer.get_json()["error"]
    assert audit.search(web_settings, kind="consultation") == []


def test_open_flags_about_the_address_or_its_people_are_shown(store, settings, tmp_path):
    from graphsvc.rules.runner import run_rule

    load_graph(store, settings, tmp_path, {
        "addresses": [{"address_id": "B1", "line1": "7 Wren Close", "town": "Dereham",
                       "postcode": "NR19 1AA", "latitude": 52.68, "longitude": 0.94}],
        "people": [{"person_id": "K9", "given_name": "Kim", "family_name": "Hart",
                    "date_of_birth": "2016-05-05"},
                   {"person_id": "O9", "given_name": "Neil", "family_name": "Dunn",
                    "date_of_birth": "1966-05-05"}],
        "residences": [{"person_id": "K9", "address_id": "B1", "start_date": "2020-01-01"},
                       {"person_id": "O9", "address_id": "B1", "start_date": "2024-01-01"}],
        "offenders": [{"person_id": "O9", "registered_from": "2010-01-01",
                       "rosh_level": "medium", "mappa_category": "1"}],
    })
    assert run_rule(store, "offender_household_with_child", as_of=AS_OF).flags_new == 1
    restricted = check_address(store, {"address_id": "B1"}, role="control_room", as_of=AS_OF)
    [flag] = restricted.flags
    assert flag["rule_id"] == "offender_household_with_child"
    assert (f"Open {flag['severity']} flag: registered offender in a household with a child."
            in _texts(restricted))
    assert "Neil" not in repr(restricted.flags) and "Kim" not in repr(restricted.flags)
    full = check_address(store, {"address_id": "B1"}, role="intelligence", as_of=AS_OF)
    assert full.flags[0]["flag_id"].startswith("offender_household_with_child:")
    assert f"flag_id={full.flags[0]['flag_id']}" in full.shown


def test_an_offender_who_moves_nearby_is_seen_by_the_next_check(county, settings, tmp_path,
                                                                 monkeypatch):
    monkeypatch.setattr("graphsvc.address_check.query.HOMES_RECHECK_S", 0.0)  # not a second later
    before = check_address(county, {"address_id": "F1"}, role="intelligence", as_of=AS_OF,
                           radius_m=500)
    assert before.offenders_nearby == []
    load_graph(county, settings, tmp_path, {
        "addresses": [{"address_id": "F9", "line1": "3 Quay Side", "town": "Norwich",
                       "postcode": "NR1 3FG", "latitude": 52.6205, "longitude": 1.2900}],
        "residences": [{"person_id": "O2", "address_id": "F9", "start_date": "2025-02-01"}],
    })
    after = check_address(county, {"address_id": "F1"}, role="intelligence", as_of=AS_OF,
                          radius_m=500)
    assert [(o["person_id"], o["distance_m"]) for o in after.offenders_nearby] == [
        ("O2", 56)]


def _offender_moves_near_f1(county, settings, tmp_path) -> None:
    load_graph(county, settings, tmp_path, {
        "addresses": [{"address_id": "F9", "line1": "3 Quay Side", "town": "Norwich",
                       "postcode": "NR1 3FG", "latitude": 52.6205, "longitude": 1.2900}],
        "residences": [{"person_id": "O2", "address_id": "F9", "start_date": "2025-02-01"}],
    })


def _nearby_f1(county) -> list[tuple[str, int]]:
    answer = check_address(county, {"address_id": "F1"}, role="intelligence", as_of=AS_OF,
                           radius_m=500)
    return [(o["person_id"], o["distance_m"]) for o in answer.offenders_nearby]


def test_a_move_written_through_this_process_is_seen_at_once_however_long_the_recheck(
        county, settings, tmp_path, monkeypatch):
    # the offenders' homes are held in memory between version checks: a write this process
    # made (an import, a decision) must not wait for the next one
    monkeypatch.setattr("graphsvc.address_check.query.HOMES_RECHECK_S", 3600.0)
    assert _nearby_f1(county) == []
    _offender_moves_near_f1(county, settings, tmp_path)
    assert _nearby_f1(county) == [("O2", 56)]


def test_a_move_written_by_another_process_is_seen_within_twice_the_recheck(
        county, settings, tmp_path, monkeypatch):
    recheck = 0.3
    monkeypatch.setattr("graphsvc.address_check.query.HOMES_RECHECK_S", recheck)
    assert _nearby_f1(county) == []
    # as if another process wrote it: this process's write count does not move
    monkeypatch.setattr("graphsvc.search.index.writes_made", lambda: 0)
    assert _nearby_f1(county) == []  # the list in hand, read again at most every 0.3 s
    _offender_moves_near_f1(county, settings, tmp_path)
    time.sleep(2 * recheck + 0.05)  # past the window: the next check reads the version first
    assert _nearby_f1(county) == [("O2", 56)]


def test_a_nearby_offenders_new_risk_and_order_are_seen_by_the_next_check(
        county, settings, tmp_path, monkeypatch):
    """Offenders nearby are described from memory (address_check/offenders.py): a change to
    one's register entry or orders is seen once the version is checked again."""
    monkeypatch.setattr("graphsvc.address_check.query.HOMES_RECHECK_S", 0.0)
    before = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=AS_OF)
    owen = next(o for o in before.offenders_nearby if o["person_id"] == "O2")
    assert (owen["rosh_level"], owen["orders"]) == ("low", [])
    load_graph(county, settings, tmp_path, {
        "offenders": [{"person_id": "O2", "registered_from": "2019-01-01", "rosh_level": "high",
                       "mappa_category": "1", "mappa_level": "2"}],
        "orders": [{"order_id": "OR9", "person_id": "O2", "order_type": "sro",
                    "start_date": "2024-01-01"},
                   {"order_id": "OR8", "person_id": "O2", "order_type": "shpo",
                    "start_date": "2025-06-01"}],  # not yet in force on the day checked
    })
    after = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=AS_OF)
    owen = next(o for o in after.offenders_nearby if o["person_id"] == "O2")
    assert owen["rosh_level"] == "high"
    assert [(x["order_id"], x["order_type"]) for x in owen["orders"]] == [("OR9", "sro")]
    assert "order_id=OR9" in after.shown and "order_id=OR8" not in after.shown


def test_a_change_stamped_no_later_than_the_newest_is_seen_once_its_import_ends(
        county, settings, tmp_path, monkeypatch):
    """The offenders' version is their counts and newest stamps: a change another process
    writes in the same second as a version read leaves both as they were. The count of finished
    imports is part of every cache's version, so the change is seen once its import ends."""
    from datetime import datetime

    from graphsvc import dates
    monkeypatch.setattr("graphsvc.address_check.query.HOMES_RECHECK_S", 0.0)
    monkeypatch.setattr("graphsvc.search.index.writes_made", lambda: 0)  # another process
    before = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=AS_OF)
    assert next(o for o in before.offenders_nearby if o["person_id"] == "O2")["rosh_level"] \
        != "very_high"
    # stamped earlier than the newest stamp already read: the counts and times stay the same
    monkeypatch.setattr(dates, "graph_now", lambda: datetime(2020, 1, 1, 9, 0, 0))
    load_graph(county, settings, tmp_path, {
        "offenders": [{"person_id": "O2", "registered_from": "2019-01-01",
                       "rosh_level": "very_high", "mappa_category": "1", "mappa_level": "2"}]})
    after = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=AS_OF)
    assert next(o for o in after.offenders_nearby if o["person_id"] == "O2")["rosh_level"] \
        == "very_high"


def test_someone_just_put_on_the_register_nearby_is_seen_by_the_next_check(
        county, settings, tmp_path, monkeypatch):
    """A nearby offender the memory does not hold yet is read at once, whatever the interval."""
    monkeypatch.setattr("graphsvc.address_check.query.HOMES_RECHECK_S", 3600.0)
    before = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=AS_OF)
    assert "O4" not in {o["person_id"] for o in before.offenders_nearby}
    load_graph(county, settings, tmp_path, {
        "people": [{"person_id": "O4", "given_name": "Olga", "family_name": "Reed",
                    "date_of_birth": "1975-01-01"}],
        "residences": [{"person_id": "O4", "address_id": "A3", "start_date": "2022-01-01"}],
        "offenders": [{"person_id": "O4", "registered_from": "2020-01-01",
                       "rosh_level": "medium", "mappa_category": "1"}],
    })
    after = check_address(county, {"address_id": "A1"}, role="intelligence", as_of=AS_OF)
    [olga] = [o for o in after.offenders_nearby if o["person_id"] == "O4"]
    assert (olga["rosh_level"], olga["address_id"], olga["name"]) == (
        "medium", "A3", "Olga Reed")


def test_a_childrens_home_with_an_open_proximity_flag_lists_that_offender(store, settings,
                                                                          tmp_path):
    from graphsvc.rules.runner import run_rule

    load_graph(store, settings, tmp_path, {
        "addresses": [
            {"address_id": "CH", "line1": "The Willows", "town": "Wexford", "postcode":
             "WX1 1AA", "latitude": 52.7000, "longitude": 1.0000,
             "address_type": "childrens_home"},
            # 900 m east of the home
            {"address_id": "OH", "line1": "5 Mill Row", "town": "Wexford", "postcode": "WX1 1AB",
             "latitude": 52.7000, "longitude": 1.01334},
            # a neighbour of the home, whom the flag is not about
            {"address_id": "NB", "line1": "1 Mill Row", "town": "Wexford", "postcode": "WX1 1AC",
             "latitude": 52.7009, "longitude": 1.0000}],
        "people": [{"person_id": "K1", "given_name": "Kai", "family_name": "Moss",
                    "date_of_birth": "2010-04-04"},
                   {"person_id": "R1", "given_name": "Roy", "family_name": "Grange",
                    "date_of_birth": "1960-01-01"}],
        "residences": [{"person_id": "R1", "address_id": "OH", "start_date": "2020-01-01"}],
        "offenders": [{"person_id": "R1", "registered_from": "2015-01-01", "rosh_level": "high",
                       "mappa_category": "1", "mappa_level": "2"}],
        "placements": [{"placement_id": "PK1", "person_id": "K1", "address_id": "CH",
                        "placing_authority": "Kent", "area_authority": "Wexmoor",
                        "placement_type": "childrens_home", "start_date": "2024-09-01",
                        "police_notified_date": "2024-09-02"}],
    })
    assert run_rule(store, "ooa_child_near_high_risk_offender", as_of=AS_OF).flags_new == 1
    result = check_address(store, {"address_id": "CH"}, role="control_room", as_of=AS_OF)
    [offender] = result.offenders_nearby
    assert (offender["name"], offender["rosh_level"], offender["direction"],
            offender["within_radius"]) == ("Roy Grange", "high", "east", True)
    assert 895 <= offender["distance_m"] <= 905
    assert offender["why_named"] == ("open high flag: out-of-area child placed near a "
                                     "high-risk offender")
    assert result.counts["offenders_nearby"] == 1
    assert any(t.startswith("An offender tied to this address (open high flag") and
               t.endswith(" m east.") for t in _texts(result))
    # listed whatever the radius, because the flag ties him to this address
    narrow = check_address(store, {"address_id": "CH"}, role="control_room", as_of=AS_OF,
                           radius_m=100)
    [offender] = narrow.offenders_nearby
    assert offender["name"] == "Roy Grange" and offender["within_radius"] is False
    assert "person_id=R1" in narrow.shown
    # next door, the offender is within the radius but nothing ties him there: no name, and
    # the flag (about the children's home, not this address) is not shown
    neighbour = check_address(store, {"address_id": "NB"}, role="control_room", as_of=AS_OF)
    [offender] = neighbour.offenders_nearby
    assert offender["name"] is None and offender["rosh_level"] == "high"
    assert neighbour.flags == [] and neighbour.counts["open_flags"] == 0


@pytest.mark.parametrize("query, as_of, message", [
    ({"lat": "48.0", "lon": "1.3"}, None, "Parameter lat: 48 is outside Great Britain"),
    ({"lat": "52.6", "lon": "3.0"}, None, "Parameter lon: 3 is outside Great Britain"),
    ({"easting": "699000", "northing": "1299000"}, None, "Parameter easting:"),
    ({"uprn": "100010001"}, "1899-12-31", "Parameter as_of: 1899-12-31 is before 1900"),
    ({"uprn": "100010001"}, "2999-01-01", "Parameter as_of: 2999-01-01 is after today"),
    ({"uprn": "100010001"}, "yesterday", "as_of parameter 'yesterday' is not a date"),
])
def test_places_and_dates_out_of_range_are_refused_naming_the_parameter(county, query, as_of,
                                                                       message):
    with pytest.raises(InputError, match=message):
        check_address(county, query, role="control_room", as_of=as_of)


def test_the_control_room_page_names_the_child_her_plan_and_the_offender_staying_there(
        store, settings, tmp_path, sign_in_as, web_settings):
    load_graph(store, settings, tmp_path, {
        "addresses": [{"address_id": "S1", "line1": "2 Heath Row", "town": "Wexford",
                       "postcode": "WX2 2AA", "latitude": 52.71, "longitude": 1.05}],
        "people": [{"person_id": "G1", "given_name": "Gina", "family_name": "Cole",
                    "date_of_birth": "2016-02-02"},
                   {"person_id": "X1", "given_name": "Karl", "family_name": "Denny",
                    "date_of_birth": "1975-03-03"}],
        "residences": [{"person_id": "G1", "address_id": "S1", "start_date": "2020-01-01"},
                       {"person_id": "X1", "address_id": "S1", "residence_type": "notified_stay",
                        "start_date": "2025-01-01"}],
        "offenders": [{"person_id": "X1", "registered_from": "2018-01-01", "rosh_level": "high",
                       "mappa_category": "1", "mappa_level": "1",
                       "risk_management_summary": "Unannounced visits monthly."}],
        "protection_plans": [{"plan_id": "GP1", "person_id": "G1", "category": "neglect",
                              "start_date": "2024-05-05", "local_authority": "Wexmoor CC"}],
    })
    browser = sign_in_as("control_room", "dispatcher9")
    html = browser.post("/address-check/", data={
        "address_id": "S1", "justification": "INC-9", "as_of": AS_OF,
        "csrf_token": csrf_token(browser, "/address-check/")}).get_data(as_text=True)
    children = html[html.index('id="children-on-plans"'):]
    assert "Gina Cole" in children and "neglect" in children and "Wexmoor CC" in children
    staying = html[html.index('id="offenders-here"'):]
    assert "Karl Denny" in staying and "(notified stay)" in staying
    assert "Unannounced visits monthly." in staying
    [entry] = audit.search(web_settings, user="dispatcher9", kind="consultation")
    assert {"person_id=G1", "person_id=X1", "plan_id=GP1"} <= set(entry.shown)


def test_a_forces_tile_server_is_drawn_beneath_the_picture_and_allowed_alone(
        county, web_settings, sign_in_as):
    from dataclasses import replace

    from web import create_app

    tiled = replace(web_settings, tile_url="https://tiles.force.example/{z}/{x}/{y}.png")
    app = create_app({"TESTING": True, "GRAPHSVC_SETTINGS": tiled,
                      "PREFERRED_URL_SCHEME": "https"})

    _t, secret = tokens.issue_token(tiled, "cad-tiles", "control_room", by="test")
    client = app.test_client()
    answer = client.get("/api/v1/address-check", headers={"Authorization": f"Bearer {secret}"},
                        query_string={"uprn": "100010001", "justification": "x-1",
                                      "as_of": AS_OF})
    tiles = answer.get_json()["picture"]["tiles"]
    assert tiles and all(t["href"].startswith("https://tiles.force.example/") for t in tiles)
    policy = answer.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://tiles.force.example;" in policy
    assert "default-src 'self'" in policy
    opened = app.extensions["graphsvc.store"].get("store")
    if opened is not None:  # this app's own store (the fixture closes only its app's)
        opened.close()
    plain = sign_in_as("control_room").get("/address-check/")
    assert "tiles.force.example" not in plain.headers["Content-Security-Policy"]
