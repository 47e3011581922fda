"""Database helpers shared by the services."""
import logging

from django.db import OperationalError

logger = logging.getLogger(__name__)

MYSQL_DEADLOCK = 1213


def retry_on_deadlock(function, attempts=3):
    """
    Call ``function`` (one whole transaction) again when MySQL picked it as a deadlock victim.

    Concurrent first writes for the same learner or course can deadlock on MySQL's gap
    locks; the loser's transaction was rolled back, so running it again is safe.
    """
    for attempt in range(1, attempts + 1):
        try:
            return function()
        except OperationalError as exc:
            if not exc.args or exc.args[0] != MYSQL_DEADLOCK or attempt == attempts:
                raise
            logger.info("Deadlock; running the transaction again (attempt %d of %d).", attempt + 1, attempts)
    raise AssertionError("unreachable")
