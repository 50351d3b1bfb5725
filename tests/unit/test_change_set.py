"""What a change set tells the scope statements: every key of each kind, and apart the keys of
records a changed row wrote itself (not those it only named)."""

from __future__ import annotations

from graphsvc.changes import ChangeSet


def test_a_link_row_names_its_ends_and_a_record_row_writes_its_record():
    changed = ChangeSet()
    changed.add_all("person_id", ["P1"])                      # a person row
    changed.add_all("person_id", ["P2", "P1"], named=True)    # residence rows naming people
    changed.add_all("address_id", ["A1"], named=True)
    params = changed.params()
    assert params["person_ids"] == ["P1", "P2"]
    assert params["written_person_ids"] == ["P1"]
    assert params["address_ids"] == ["A1"]
    assert params["written_address_ids"] == []


def test_the_rules_entry_lists_carry_no_written_lists():
    changed = ChangeSet()
    changed.add("person_id", "P1")
    params = changed.params("anchor_")
    assert params["anchor_person_ids"] == ["P1"]
    assert not [name for name in params if "written" in name]


def test_keys_added_as_flags_spell_them_count_as_written():
    """The runner applies a scope statement to affected keys as if they had changed."""
    changed = ChangeSet()
    changed.add_keys(["person_id=C1", "address_id=A1"])
    assert changed.params()["written_person_ids"] == ["C1"]
    assert changed.params()["written_address_ids"] == ["A1"]
