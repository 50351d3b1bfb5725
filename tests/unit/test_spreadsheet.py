"""Cells a spreadsheet will not run and text XML can carry, whatever a record holds."""

from __future__ import annotations

import doctest
import xml.etree.ElementTree as ET

import pytest

from graphsvc import spreadsheet
from graphsvc.spreadsheet import csv_cell, xml_text


def test_the_examples_in_the_module_hold():
    failures, tried = doctest.testmod(spreadsheet)
    assert tried and not failures


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "\n=1",
                                  "  =1", "＝1", "＋1", "－1", "＠x", '=HYPERLINK("x")'])
def test_every_formula_start_is_neutralised(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Smith", "2024-01-01", "07700 900123", "", "a=b", "'quoted"])
def test_ordinary_text_is_left_alone(text):
    assert csv_cell(text) == text


def test_every_character_survives_an_xml_round_trip_or_is_marked():
    text = "".join(chr(c) for c in range(0x20)) + "é\u2028\ufffe"
    element = ET.Element("d", v=xml_text(text))
    back = ET.fromstring(ET.tostring(element)).get("v")
    assert "\ufffd" in back and "é" in back
