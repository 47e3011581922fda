"""Database helpers shared by the services."""
import logging
import random
import time

from django.db import DEFAULT_DB_ALIAS, OperationalError, connections
from django.utils.translation import gettext as _

from credits_plugin.exceptions import CreditsConflict

logger = logging.getLogger(__name__)

MYSQL_DEADLOCK = 1213
MYSQL_LOCK_WAIT_TIMEOUT = 1205


def is_write_clash(exc):
    """
    Whether ``exc`` is MySQL giving up a write because another wrote the same rows at the same
    moment: a deadlock (MySQL rolled the transaction back) or a lock waited for too long (MySQL
    undid the statement; the atomic block it raises through, or the API's rollback, undoes the
    rest). Nothing was saved, and the same request sent again would succeed.
    """
    return (isinstance(exc, OperationalError) and bool(exc.args)
            and exc.args[0] in (MYSQL_DEADLOCK, MYSQL_LOCK_WAIT_TIMEOUT))


def write_clash_conflict(exc):
    """
    A write clash (``is_write_clash``) as the ``CreditsConflict`` people are shown (a 409 in the
    API, a message on a page); None for any other error. Not for tasks: their retry is Celery's,
    on the database error itself.
    """
    if not is_write_clash(exc):
        return None
    return CreditsConflict(_("Someone else changed the same records at the same moment; nothing was saved. "
                             "Try again."))


def retry_on_deadlock(function, attempts=3, using=DEFAULT_DB_ALIAS):
    """
    Call ``function`` (one whole transaction) again when MySQL picked it as a deadlock victim.

    Concurrent first writes for the same learner or course can deadlock on MySQL's gap and
    shared locks (three awards of one credit at once are enough); the loser's transaction was
    rolled back, so running it again is safe. Each try waits a moment, a little longer each
    time and never the same for two workers, so that they do not meet again.

    Inside a caller's transaction (``ATOMIC_REQUESTS``, a caller's ``atomic``) it runs once:
    the deadlock rolled back the caller's whole transaction, which only the caller can redo.
    """
    if connections[using].in_atomic_block:
        return function()
    for attempt in range(1, attempts + 1):
        try:
            return function()
        except OperationalError as exc:
            if not exc.args or exc.args[0] != MYSQL_DEADLOCK or attempt == attempts:
                raise
            logger.info("Deadlock; running the transaction again (attempt %d of %d).", attempt + 1, attempts)
            time.sleep(random.uniform(0, 0.02 * attempt))  # nosec B311: spreading retries, not a secret
    raise AssertionError("unreachable")


class InsertIgnoring:
    """
    A prepared ``INSERT`` that skips rows clashing with a unique constraint, run with ``executemany``.

    For inserts of many rows (backfill): no model instances, and each value converted once
    through its field's ``get_db_prep_save`` so the database gets what the ORM would send.
    Conflicting rows (awarded concurrently) are skipped, as ``bulk_create(ignore_conflicts=True)``
    would, on SQLite, MySQL/MariaDB and PostgreSQL.
    """

    # Well under SQLite's and MySQL's limits on the parameters of one statement.
    ROWS_PER_STATEMENT = 500

    def __init__(self, model, field_names, using="default"):
        self.using = using
        self.fields = [model._meta.get_field(name) for name in field_names]  # pylint: disable=protected-access
        connection = connections[using]
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        table = quote(model._meta.db_table)  # pylint: disable=protected-access
        vendor = connection.vendor
        if vendor == "mysql":
            self.sql = f"INSERT IGNORE INTO {table} ({columns}) VALUES ({placeholders})"
        elif vendor == "sqlite":
            self.sql = f"INSERT OR IGNORE INTO {table} ({columns}) VALUES ({placeholders})"
        else:
            self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT DO NOTHING"
        self._multi_row_sql = {}

    @property
    def connection(self):
        """The current thread's connection (an instance may be kept and shared across threads)."""
        return connections[self.using]

    def prep(self, field_name, value):
        """A value as the database stores it in ``field_name``."""
        return self.field_prep(field_name)(value)

    def field_prep(self, field_name, connection=None):
        """The function that turns a value into what the database stores in ``field_name``."""
        field = next(f for f in self.fields if f.name == field_name)
        connection = connection or self.connection
        return lambda value: field.get_db_prep_save(value, connection)

    def multi_row_sql(self, count):
        """The statement inserting ``count`` rows at once (built once per count)."""
        sql = self._multi_row_sql.get(count)
        if sql is None:
            head, values = self.sql.split(" VALUES ", 1)
            one_row, _sep, tail = values.partition(")")
            sql = self._multi_row_sql[count] = f"{head} VALUES {', '.join([one_row + ')'] * count)}{tail}"
        return sql

    def run_as_one(self, rows, connection=None):
        """
        Insert ``rows`` in one multi-row statement; returns how many went in (clashing rows are skipped).

        One statement is one commit in autocommit mode, where ``executemany`` commits per row on SQLite.
        """
        inserted = 0
        with (connection or self.connection).cursor() as cursor:
            for start in range(0, len(rows), self.ROWS_PER_STATEMENT):
                chunk = rows[start:start + self.ROWS_PER_STATEMENT]
                cursor.execute(self.multi_row_sql(len(chunk)), [value for row in chunk for value in row])
                inserted += cursor.rowcount
        return inserted

    def run(self, rows):
        """Insert ``rows`` (tuples of prepared values, in field order); returns how many went in."""
        if not rows:
            return 0
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)
            return cursor.rowcount
