"""The deadlock retry of the services."""
import pytest
from django.db import OperationalError

from credits_plugin.services.db import retry_on_deadlock


def test_retries_deadlocks_then_gives_up():
    calls = []

    def deadlocks_twice():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError(1213, "Deadlock found when trying to get lock")
        return "done"

    assert retry_on_deadlock(deadlocks_twice) == "done"
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(OperationalError):
        retry_on_deadlock(lambda: calls.append(1) or (_ for _ in ()).throw(OperationalError(1213, "x")), attempts=2)
    assert len(calls) == 2


def test_other_errors_are_not_retried():
    calls = []

    def fails():
        calls.append(1)
        raise OperationalError(2006, "MySQL server has gone away")

    with pytest.raises(OperationalError):
        retry_on_deadlock(fails)
    assert calls == [1]


@pytest.mark.django_db
def test_inside_a_callers_transaction_a_deadlock_is_the_callers_to_retry():
    """A deadlock rolled back the caller's whole transaction: running only our part again would be wrong."""
    from django.db import transaction  # pylint: disable=import-outside-toplevel

    calls = []

    def deadlocks():
        calls.append(1)
        raise OperationalError(1213, "Deadlock found when trying to get lock")

    with transaction.atomic(), pytest.raises(OperationalError):
        retry_on_deadlock(deadlocks)
    assert calls == [1]
