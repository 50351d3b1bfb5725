"""Request timing for the benches: the tally, the Server-Timing header and the bench's split."""

from __future__ import annotations

import time

from bench.common import server_timing, timing_split
from graphsvc import timing
from web.timing import header_value


def test_parts_are_tallied_only_inside_measuring_with_how_often_they_ran():
    with timing.part("outside"):
        pass  # no tally running: nothing to add to, nothing fails
    with timing.measuring() as tally:
        for _ in range(3):
            with timing.part("graph:read/x"):
                time.sleep(0.001)
        with timing.part("search"), timing.part("graph:read/y"):
            pass
    assert set(tally) == {"graph:read/x", "search", "graph:read/y"}
    assert tally["graph:read/x"][1] == 3 and tally["graph:read/x"][0] >= 3.0
    assert tally["search"][1] == 1 and tally["search"][0] >= tally["graph:read/y"][0]
    with timing.part("after"):
        pass
    assert "after" not in tally


def test_the_header_names_are_tokens_and_the_bench_reads_them_back():
    value = header_value({"graph:read/search_people_details": (4.5, 2), "audit": (7.25, 1)},
                         20.0)
    assert value == ("app;dur=20.00;desc=1, graph.read.search_people_details;dur=4.50;desc=2, "
                     "audit;dur=7.25;desc=1")
    assert server_timing(value) == {"app": (20.0, 1),
                                    "graph.read.search_people_details": (4.5, 2),
                                    "audit": (7.25, 1)}
    assert server_timing(None) == {} and server_timing("") == {}


def test_the_split_separates_graph_audit_the_rest_of_the_app_and_what_lies_outside_it():
    requests = [(float(10 + i), {"app": (8.0 + i, 1), "graph.read.a": (3.0, 2),
                                 "graph.read.b": (1.0, 1), "audit": (2.0, 1)})
                for i in range(40)]
    split = timing_split(requests)
    assert split["outside_app"]["p50"] == 2.0 and split["graph"]["p95"] == 4.0
    assert split["graph_statements"]["p50"] == 3.0
    # the slowest 5% (2 of 40 by client time) are the last two: app 46 and 47
    assert split["app"]["slowest_5pct_mean"] == 46.5
    assert split["app_other"]["slowest_5pct_mean"] == 40.5
