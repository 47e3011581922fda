"""
The floors of sustained awarding, fed by the same events as the award task through the same worker:
a task that does nothing (the distributed engine's own cost), and a task that does the least a
durable award needs, in hand-written SQL (read the course's settings, insert one row).
"""
from celery import shared_task
from django.db import connection

RAW_AWARD_TABLE = "credits_bench_raw_award"


@shared_task
def empty_award_task(user_id, course_id, trigger):  # pylint: disable=unused-argument
    return None


@shared_task
def raw_award_task(user_id, course_id, trigger):  # pylint: disable=unused-argument
    ignore = "INSERT IGNORE" if connection.vendor == "mysql" else "INSERT OR IGNORE"
    with connection.cursor() as cursor:
        cursor.execute("SELECT enabled, award_trigger FROM credits_plugin_coursecreditsettings WHERE course_key = %s",
                       [course_id])
        cursor.fetchone()
        cursor.execute(f"{ignore} INTO {RAW_AWARD_TABLE} (user_id, course_key) VALUES (%s, %s)",  # noqa: S608
                       [user_id, course_id])


def create_raw_award_table():
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE IF NOT EXISTS {RAW_AWARD_TABLE} (user_id integer NOT NULL, "
                       "course_key varchar(255) NOT NULL, PRIMARY KEY (user_id, course_key))")
