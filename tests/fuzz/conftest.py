"""Shared pieces of the fuzz suite: odd values, the engine's pid and the graph's counts.

Bounded in time: every Hypothesis test runs GRAPHSVC_FUZZ_EXAMPLES examples (default 12), with
no example database (nothing is written outside the test's temporary folders).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("GRAPHSVC_FUZZ_EXAMPLES", "12"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=False,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

# Values people have typed, pasted or forged somewhere: injection attempts, formulae, paths,
# the 500s of issue 13, boundary numbers and dates, control characters and huge strings.
NASTY = ["", " ", "0", "-1", "1", "9" * 25, "0001-01-01", "9999-12-31", "2025-02-30", "1e309",
         "nan", "inf", "-0", "../../etc/passwd", "/%09/evil.example", "//evil.example",
         '=HYPERLINK("x")', "'; DROP TABLE users;--", "MATCH (n) DETACH DELETE n",
         "{{7*7}}", "<script>alert(1)</script>", "\x00", "\x01", "a\r\nSet-Cookie: a=b",
         "A" * 5000, "\u202e", "%00", "null", "[]", "{}", "person_id=P1", "P1", "A1",
         "NR1 3AB", "100010001", "52.63", "1.30", "999999999999999999999", "\\", "\ufeff"]

ODD = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=30),
    st.text(alphabet=st.characters(max_codepoint=0x7f), max_size=12),
    st.text(alphabet=st.characters(categories=["Cc", "Zs", "Sm"]), max_size=6),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.dates().map(str),
)

# Markers of internal detail that must never reach a user.
INTERNAL = ("Traceback", "errMsg", "redis.exceptions", ".sock", "falkordb.so",
            "File \"/", "sqlite3.")


def graph_state(store) -> dict:
    return store.counts()
