"""The shared input checks of credits_plugin.validation."""
import pytest

from credits_plugin.validation import MAX_ID, parse_id


@pytest.mark.parametrize("value, expected", [
    (1, 1), ("1", 1), (" 42 ", 42), (MAX_ID, MAX_ID), (str(MAX_ID), MAX_ID),
    (0, None), (-1, None), ("-1", None), ("+1", None), (MAX_ID + 1, None), (str(MAX_ID + 1), None),
    (1.5, None), (2.0, None), ("1.5", None), ("1e3", None), ("", None), (None, None), (True, None),
    ("\u0663", None),  # ARABIC-INDIC DIGIT THREE: int() would take it
    ("9" * 5000, None), ([1], None),
])
def test_parse_id_takes_whole_numbers_only_and_never_truncates(value, expected):
    assert parse_id(value) == expected
