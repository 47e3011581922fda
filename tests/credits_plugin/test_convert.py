"""The text forms the CSV report writes, from each database driver's own types."""
import uuid
from decimal import Decimal

import pytest

from credits_plugin.services.convert import amount_text, uuid_text

PUBLIC_ID = uuid.UUID("0f0e0d0c-0b0a-4908-8706-050403020100")


@pytest.mark.parametrize("raw", [
    PUBLIC_ID,  # the ORM's own value
    PUBLIC_ID.hex,  # SQLite and MySQL: char(32)
    PUBLIC_ID.hex.upper(),
    str(PUBLIC_ID),  # MariaDB's uuid type: the dashed form
    str(PUBLIC_ID).upper(),
    PUBLIC_ID.bytes,
    "{" + str(PUBLIC_ID) + "}",  # any other form UUID() reads
])
def test_every_driver_form_of_an_award_id_is_written_dashed_and_lower_case(raw):
    assert uuid_text(raw) == "0f0e0d0c-0b0a-4908-8706-050403020100"


@pytest.mark.parametrize("raw, text", [
    (Decimal("2.5"), "2.50"), (Decimal("2.50"), "2.50"), (Decimal("999.99"), "999.99"),  # MySQL
    (2.5, "2.50"), (0.1, "0.10"),  # SQLite's REAL
    ("1.25", "1.25"), (3, "3.00"),
])
def test_amounts_are_written_with_two_places(raw, text):
    assert amount_text(raw) == text
