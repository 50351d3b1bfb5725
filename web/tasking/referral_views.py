"""Referrals to children's social care and to a MARAC: drafted from a flag or a cluster,
reviewed and edited, recorded with their recipient, printed or exported as JSON. Recording and
each export are disclosures in the audit log, naming the recipient."""

from __future__ import annotations

import json

from flask import Response, flash, redirect, render_template, request, url_for

from graphsvc import tasking
from graphsvc.errors import InputError
from graphsvc.tasking.referrals import SECTIONS
from web.context import get_settings, get_store
from web.security import current_identity, record, requires
from web.tasking import ROLES, bp, justification


def _source() -> dict[str, str]:
    values = request.values
    return {"kind": (values.get("kind") or "childrens_social_care").strip(),
            "flag_id": (values.get("flag_id") or "").strip(),
            "cluster_id": (values.get("cluster_id") or "").strip()}


def _draft(source: dict[str, str]) -> dict:
    return tasking.draft_referral(get_store(), get_settings(), kind=source["kind"],
                                  flag_id=source["flag_id"] or None,
                                  cluster_id=source["cluster_id"] or None)


@bp.route("/referrals", methods=["GET"])
@requires(*ROLES)
def referrals():
    return render_template("tasking/referrals.html",
                           referrals=tasking.list_referrals(get_settings()))


@bp.route("/referrals/new", methods=["GET"])
@requires(*ROLES)
def referral_new():
    reason = justification()
    if not reason:
        flash("Give a reason or incident number before drafting a referral.", "error")
        return redirect(url_for("tasking.board"))
    source = _source()
    draft = _draft(source)
    record("consultation", "draft referral", asked=source,
           shown=draft["people"] + draft["addresses"]
           + [f"flag_id={f}" for f in draft["flag_ids"]], justification=reason)
    return render_template("tasking/referral_form.html", draft=draft, source=source,
                           texts={s["name"]: s["text"] for s in draft["sections"]},
                           recipient="", errors="")


@bp.route("/referrals", methods=["POST"])
@requires(*ROLES)
def referral_record():
    source = _source()
    draft = _draft(source)
    texts = {name: request.form.get(f"section_{name}", "") for name, _ in SECTIONS}
    recipient = request.form.get("recipient", "")
    meeting = tasking.current_meeting(get_settings())
    try:
        referral = tasking.record_referral(get_settings(), draft, recipient=recipient,
                                           texts=texts, by=current_identity().name,
                                           meeting_id=meeting["meeting_id"] if meeting else None)
    except InputError as exc:  # what was typed stays in the form
        return render_template("tasking/referral_form.html", draft=draft, source=source,
                               texts=texts, recipient=recipient, errors=str(exc)), 400
    record("disclosure", f"referral recorded: {draft['title']}",
           asked={**source, "recipient": referral["recipient"],
                  "referral_id": referral["referral_id"]},
           shown=referral["people"] + [f"flag_id={f}" for f in referral["flag_ids"]],
           justification=f"Referral {referral['referral_id']} to {referral['recipient']}")
    flash(f"Referral {referral['referral_id']} to {referral['recipient']} is recorded.",
          "success")
    return redirect(url_for("tasking.referral_show", referral_id=referral["referral_id"]))


@bp.route("/referrals/<int(max=2147483647):referral_id>", methods=["GET"])
@requires(*ROLES)
def referral_show(referral_id: int):
    referral = tasking.get_referral(get_settings(), referral_id)
    record("disclosure", "referral page", asked={"referral_id": referral_id,
                                                 "recipient": referral["recipient"]},
           shown=referral["people"], justification=f"Referral {referral_id} to "
                                                   f"{referral['recipient']}")
    return render_template("tasking/referral.html", referral=referral)


@bp.route("/referrals/<int(max=2147483647):referral_id>.json", methods=["GET"])
@requires(*ROLES)
def referral_export(referral_id: int):
    referral = tasking.get_referral(get_settings(), referral_id)
    record("disclosure", "referral JSON", asked={"referral_id": referral_id,
                                                 "recipient": referral["recipient"]},
           shown=referral["people"], justification=f"Referral {referral_id} to "
                                                   f"{referral['recipient']}")
    body = json.dumps(tasking.referral_json(referral), indent=2, ensure_ascii=False)
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="referral-{referral_id}.json"'})
