"""
One database's benchmark run: ``python -m bench.run --db sqlite|mysql --out FILE``.

Each scenario times the plugin and the raw-database floor side by side in this
process and reports the ratio. ``bench/__main__.py`` runs this once per database
and prints the table.
"""
import argparse
import json
import os
import sys
import time
import uuid


def configure(db):
    if db == "mysql":
        os.environ["CREDITS_TEST_DB"] = "mysql"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    import django  # pylint: disable=import-outside-toplevel

    django.setup()


def fresh_database():
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from django.core.management import call_command  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel

    if connection.vendor == "sqlite":
        connection.close()
        path = settings.DATABASES["default"]["NAME"]
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
    else:
        import pymysql  # pylint: disable=import-outside-toplevel

        db = settings.DATABASES["default"]
        server = pymysql.connect(host=db["HOST"], port=int(db["PORT"]), user=db["USER"], password=db["PASSWORD"])
        try:
            with server.cursor() as cursor:
                cursor.execute(f"DROP DATABASE IF EXISTS `{db['NAME']}`")
                cursor.execute(f"CREATE DATABASE `{db['NAME']}` CHARACTER SET utf8mb4")
        finally:
            server.close()
        connection.close()
    call_command("migrate", verbosity=0, interactive=False)


def make_users(count, prefix):
    """``count`` users inserted raw (fast); returns their ids in order."""
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from bench.measure import insert_ignore_sql  # pylint: disable=import-outside-toplevel

    User = get_user_model()
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    sql = insert_ignore_sql(User._meta.db_table, ["username", "password", "email", "first_name", "last_name",
                                                  "is_staff", "is_superuser", "is_active", "date_joined"])
    rows = [(f"{prefix}{i}", "!", "", "", "", False, False, True, now) for i in range(count)]
    with connection.cursor() as cursor:
        for start in range(0, count, 5000):
            cursor.executemany(sql, rows[start:start + 5000])
    return list(User.objects.filter(username__startswith=prefix).order_by("id").values_list("id", flat=True))


def make_course(course_id, credits, name="Bench course"):
    """A course with ``credits`` new credits of a new type, 1.50 hours each."""
    from credits_plugin import api  # pylint: disable=import-outside-toplevel

    credit_type = api.create_credit_type(name=f"Type for {course_id}", unit="hours")
    ids = [api.create_credit(credit_type_id=credit_type.id, name=f"Credit {i}", reference_number=f"R-{i}").id
           for i in range(credits)]
    return designate(course_id, ids, name)


def designate(course_id, credit_ids, name="Bench course", amount="1.50"):
    """A course with these existing credits switched on."""
    from credits_plugin import api  # pylint: disable=import-outside-toplevel
    from credits_plugin.platform.standalone.models import StandaloneCourse  # pylint: disable=import-outside-toplevel

    key = api.parse_course_key(course_id)
    StandaloneCourse.objects.get_or_create(course_key=key, defaults={"display_name": name})
    api.set_course_settings(key, enabled=True, credits=[{"credit": i, "amount": amount} for i in credit_ids])
    return key


def pass_learners(course_key, user_ids):
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from bench.measure import insert_ignore_sql  # pylint: disable=import-outside-toplevel
    from credits_plugin.platform.standalone.models import StandaloneCourseGrade  # pylint: disable=import-outside-toplevel

    sql = insert_ignore_sql(StandaloneCourseGrade._meta.db_table,
                            ["user_id", "course_key", "percent", "passed", "modified"])
    modified = StandaloneCourseGrade._meta.get_field("modified").get_db_prep_save(timezone.now(), connection)
    with connection.cursor() as cursor:
        for start in range(0, len(user_ids), 5000):
            cursor.executemany(sql, [(u, str(course_key), 0.9, True, modified) for u in user_ids[start:start + 5000]])


def award_rows(course_key, user_ids):
    """The rows the plugin would write for these learners: prepared values in AWARD_COLUMNS order."""
    from credits_plugin.models import CourseCredit  # pylint: disable=import-outside-toplevel
    from credits_plugin.services.backfill import _award_inserter  # pylint: disable=import-outside-toplevel

    designations = list(CourseCredit.objects.filter(course_key=course_key).select_related("credit__credit_type"))
    _insert, templates = _award_inserter(designations, course_key)
    return [(u, uuid.uuid4().hex, *template) for u in user_ids for _credit, template in templates]


def delete_awards(course_key):
    from credits_plugin.models import AwardedCredit  # pylint: disable=import-outside-toplevel

    AwardedCredit.objects.filter(course_key=course_key)._raw_delete("default")  # pylint: disable=protected-access


class Echo:
    """A file-like that hands back what is written: csv.writer's lines, as a streamed response makes them."""

    def write(self, value):
        return value


def stream_csv(url, user, minimum_bytes):
    """The plugin's view at ``url`` asked for ?format=csv by ``user``, its whole stream read."""
    from django.test import RequestFactory  # pylint: disable=import-outside-toplevel
    from django.urls import resolve  # pylint: disable=import-outside-toplevel

    request = RequestFactory().get(url, {"format": "csv"})
    request.user = user
    match = resolve(url)
    response = match.func(request, *match.args, **match.kwargs)
    total = sum(len(chunk) for chunk in response.streaming_content)
    assert total > minimum_bytes
    return total


def write_rows_as_csv(cursor, header=None):
    """The floor's CSV: the cursor's rows (read 2,000 at a time) through csv.writer."""
    import csv  # pylint: disable=import-outside-toplevel

    writer = csv.writer(Echo())
    total = len(writer.writerow(header)) if header else 0
    while True:
        chunk = cursor.fetchmany(2000)
        if not chunk:
            return total
        for row in chunk:
            total += len(writer.writerow(row))


def ratio(ours, floor):
    return round(ours / floor, 2) if floor else None


# --- scenarios -------------------------------------------------------------------------------------

def bench_award(results, learners=200, repeat=5):
    """
    What the award task does when a learner passes: ``award_on_trigger``, which reads the course's
    settings and credits and the learner's awards of them from the database and inserts, against
    one raw multi-row INSERT of the same rows (prepared beforehand). Informational: the targets of
    the award path are its query count and the sustained rate through a real worker (``celery``).
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel

    from bench.measure import count_queries, multi_row_insert_sql, side_by_side  # pylint: disable=import-outside-toplevel
    from credits_plugin import api  # pylint: disable=import-outside-toplevel
    from credits_plugin.constants import AwardTrigger  # pylint: disable=import-outside-toplevel
    from credits_plugin.services.awards import AWARD_COLUMNS  # pylint: disable=import-outside-toplevel

    columns = ["user_id" if c == "user" else "credit_id" if c == "credit" else c for c in AWARD_COLUMNS]
    for credits in (1, 5, 20):
        course = make_course(f"course-v1:Bench+Award{credits}+1", credits)
        pool = iter(make_users(learners * repeat * 2 + 2, f"aw{credits}_"))

        def award(user_id, course=course, credits=credits):
            result = api.award_on_trigger(user_id, course, AwardTrigger.PASSING)
            assert len(result.created) == credits, result

        sql = multi_row_insert_sql("credits_plugin_awardedcredit", columns, credits)
        # The floor's rows are built before timing: it pays only for one multi-row INSERT per learner.
        prepared = [[v for row in award_rows(course, [uid]) for v in row]
                    for uid in make_users(learners * repeat, f"awf{credits}_")]

        def ours():
            for _ in range(learners):
                award(next(pool))

        def floor():
            with connection.cursor() as cursor:
                for _ in range(learners):
                    cursor.execute(sql, prepared.pop())

        queries = count_queries(lambda: award(next(pool)))
        t_ours, t_floor = side_by_side(ours, floor, repeat=repeat)
        results.append({"what": f"award task, {credits} credit(s)", "ours_us": t_ours / learners * 1e6,
                        "floor_us": t_floor / learners * 1e6, "ratio": ratio(t_ours, t_floor), "queries": queries,
                        "target": "<= 3 queries, whatever the credits"})


def bench_fast_path(results, events=20000):
    from opaque_keys.edx.keys import CourseKey  # pylint: disable=import-outside-toplevel
    from openedx_events.learning.data import (  # pylint: disable=import-outside-toplevel
        CourseData,
        CoursePassingStatusData,
        UserData,
        UserPersonalData,
    )
    from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED  # pylint: disable=import-outside-toplevel

    from bench.measure import count_queries, side_by_side  # pylint: disable=import-outside-toplevel
    from credits_plugin import handlers  # pylint: disable=import-outside-toplevel

    data = CoursePassingStatusData(
        is_passing=True, course=CourseData(course_key=CourseKey.from_string("course-v1:Bench+NoCredits+1")),
        user=UserData(id=1, is_active=True, pii=UserPersonalData(username="u", email="", name="")))
    handlers.award_on_passing(sender=None, signal=COURSE_PASSING_STATUS_UPDATED, course_passing_status=data)

    from django.core.cache import cache  # pylint: disable=import-outside-toplevel

    from credits_plugin.services.course_cache import FLAGS_KEY, course_cache_key  # pylint: disable=import-outside-toplevel

    key = course_cache_key(FLAGS_KEY, "course-v1:Bench+NoCredits+1")
    assert cache.get(key) is not None  # warm: the receiver stored the course's answer

    def ours():
        for _ in range(events):
            handlers.award_on_passing(sender=None, signal=COURSE_PASSING_STATUS_UPDATED, course_passing_status=data)

    def floor():  # the irreducible part of a shared answer: one read of the same entry from the cache
        for _ in range(events):
            cache.get(key)

    queries = count_queries(lambda: handlers.award_on_passing(
        sender=None, signal=COURSE_PASSING_STATUS_UPDATED, course_passing_status=data))
    t_ours, t_floor = side_by_side(ours, floor, repeat=5)
    results.append({"what": "course without credits (warm), per event", "ours_us": t_ours / events * 1e6,
                    "floor_us": t_floor / events * 1e6, "ratio": ratio(t_ours, t_floor), "queries": queries,
                    "target": "0 queries; <= 50 us (floor: one cache.get)"})


def bench_backfill(results, sizes, batch=1000, repeat=2):
    from django.db import connection, transaction  # pylint: disable=import-outside-toplevel

    from bench.measure import insert_ignore_sql, peak_memory, side_by_side  # pylint: disable=import-outside-toplevel
    from credits_plugin import api  # pylint: disable=import-outside-toplevel
    from credits_plugin.services.awards import AWARD_COLUMNS  # pylint: disable=import-outside-toplevel

    users = make_users(max(sizes), "bf_")
    columns = ["user_id" if c == "user" else "credit_id" if c == "credit" else c for c in AWARD_COLUMNS]
    sql = insert_ignore_sql("credits_plugin_awardedcredit", columns)
    for size in sizes:
        course = make_course(f"course-v1:Bench+Backfill{size}+1", 3)
        learners = users[:size]
        pass_learners(course, learners)
        rows = award_rows(course, learners)

        def ours():
            counts = api.backfill_course_credits(course, batch_size=batch)
            assert counts.awarded == 3 * size, counts

        def floor():
            with connection.cursor() as cursor:
                for start in range(0, len(rows), 3 * batch):
                    with transaction.atomic():
                        cursor.executemany(sql, rows[start:start + 3 * batch])

        # Best of more runs where a run is short: one or two seconds of MariaDB commits vary a lot.
        runs = repeat if size >= 100_000 else repeat + 2
        t_ours, t_floor = side_by_side(ours, floor, repeat=runs, setup=lambda c=course: delete_awards(c))
        delete_awards(course)
        memory = peak_memory(ours)
        delete_awards(course)
        results.append({"what": f"backfill, {size:,} learners x 3 credits", "ours_s": t_ours, "floor_s": t_floor,
                        "ratio": ratio(t_ours, t_floor), "us_per_row": t_ours / (3 * size) * 1e6,
                        "peak_mb": memory / 2 ** 20, "target": "<= 1.5x; <= 50 MB; flat per row"})


def bench_report(results, sizes, repeat=2):
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel

    from bench.measure import peak_memory, side_by_side  # pylint: disable=import-outside-toplevel
    from credits_plugin import api  # pylint: disable=import-outside-toplevel

    staff = get_user_model().objects.create(username="bench_staff", is_staff=True, is_superuser=True)
    users = make_users(max(sizes), "rp_")
    columns = ("uuid", "username", "course_key", "credit_id", "credit_name", "credit_type_name", "amount", "unit",
               "reference_number", "source", "status", "awarded_at", "revoked_at", "reason")

    for size in sizes:
        course = make_course(f"course-v1:Bench+Report{size}+1", 1)
        pass_learners(course, users[:size])
        api.backfill_course_credits(course, batch_size=5000)
        url = f"/api/credits/v1/courses/{course}/awards/"

        def ours(url=url, size=size):
            stream_csv(url, staff, size * 50)

        def floor(course=course):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT a.uuid, u.username, a.course_key, a.credit_id, a.credit_name, a.credit_type_name, "
                    "a.amount, a.unit, a.reference_number, a.source, a.status, a.awarded_at, a.revoked_at, a.reason "
                    "FROM credits_plugin_awardedcredit a JOIN auth_user u ON u.id = a.user_id "
                    "WHERE a.course_key = %s ORDER BY a.id", [str(course)])
                write_rows_as_csv(cursor, columns)

        t_ours, t_floor = side_by_side(ours, floor, repeat=repeat)
        results.append({"what": f"course report CSV, {size:,} awards", "ours_s": t_ours, "floor_s": t_floor,
                        "ratio": ratio(t_ours, t_floor), "us_per_row": t_ours / size * 1e6,
                        "peak_mb": peak_memory(ours) / 2 ** 20, "target": "<= 2x; memory flat"})


def bench_compliance(results, sizes, repeat=2):
    """
    A requirement's compliance report as CSV (20 hours a calendar year, an ethics part, carry-over
    up to 5, and again with carry-over up to 100) for its assigned learners, each with three awards
    (two this year, one last year, of amounts that vary from learner to learner),
    side by side with a raw ``GROUP BY`` of the same rows (this period's and last period's sums
    per learner, a LEFT JOIN from the assignments) written as CSV.
    """
    import datetime  # pylint: disable=import-outside-toplevel

    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from bench.measure import insert_ignore_sql, peak_memory, side_by_side  # pylint: disable=import-outside-toplevel
    from credits_plugin import api  # pylint: disable=import-outside-toplevel
    from credits_plugin.models import AwardedCredit, RequirementAssignment  # pylint: disable=import-outside-toplevel

    staff = get_user_model().objects.create(username="compliance_staff", is_staff=True, is_superuser=True)
    credit_type = api.create_credit_type(name="Compliance CPD", unit="CPD hours")
    general = api.create_credit(credit_type_id=credit_type.id, name="General", reference_number="")
    ethics = api.create_credit(credit_type_id=credit_type.id, name="Ethics", reference_number="")
    users = make_users(max(sizes), "cp_")
    today = timezone.localdate()
    this_year = timezone.make_aware(datetime.datetime(today.year, 1, 2, 12))
    last_year = timezone.make_aware(datetime.datetime(today.year - 1, 6, 1, 12))
    columns = ["user_id", "course_key", "credit_id", "uuid", "amount", "credit_name", "credit_type_name", "unit",
               "reference_number", "source", "status", "awarded_at", "reason", "translations"]
    sql = insert_ignore_sql(AwardedCredit._meta.db_table, columns)
    prep = lambda value: AwardedCredit._meta.get_field("awarded_at").get_db_prep_save(value, connection)  # noqa: E731
    rows = []
    for user_id in users:
        # This year's totals vary (13 of them: some learners meet the 20 hours, some are behind)
        # and so do last year's (9,973 different totals), so that what carries over can differ.
        for course, credit, amount, when in (("course-v1:C+A+1", general, f"{6 + user_id % 13}.00", this_year),
                                             ("course-v1:C+B+1", ethics, "3.00", this_year),
                                             ("course-v1:C+C+1", general, f"{18 + user_id % 9973 / 100:.2f}",
                                              last_year)):
            rows.append((user_id, course, credit.id, uuid.uuid4().hex, amount, credit.name, credit_type.name,
                         "CPD hours", "", "passing", "awarded", prep(when), "", "{}"))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start:start + 5000])
    # INSERT IGNORE skips a row it cannot write (a NOT NULL column left out of ``columns``): the
    # report of learners without awards would be timed instead, as it was for a while after 0013.
    inserted = AwardedCredit.objects.filter(course_key__startswith="course-v1:C+").count()
    assert inserted == len(rows), f"{inserted} of {len(rows)} awards were written"

    # Carry-over up to 5 hours: learners past 25 hours last year all carry 5, so most share their
    # line after the username (93% of 100,000 in 13 lines). Up to 100: each learner carries their
    # own amount, so no two are alike: the text kept per line never helps (the worst case).
    kinds = (("5", "compliance report CSV, {size:,} learners"),
             ("100", "compliance CSV, lines unshared, {size:,} learners"))
    for size in sizes:
        for carry_over_max, what in kinds:
            requirement = api.create_requirement(name=f"Annual CPD {size} {carry_over_max}", amount="20",
                                                 credit_types=[credit_type.id], carry_over_max=carry_over_max,
                                                 applies_to_all=False)
            api.create_requirement(name=f"Ethics {size} {carry_over_max}", amount="4", credits=[ethics.id],
                                   parent=requirement.id)
            RequirementAssignment.objects.bulk_create(
                [RequirementAssignment(requirement_id=requirement.id, user_id=user_id) for user_id in users[:size]],
                batch_size=5000)
            url = f"/api/credits/v1/requirements/{requirement.id}/compliance/"

            def ours(url=url, size=size):
                stream_csv(url, staff, size * 40)

            def floor(requirement=requirement):
                start = api.progress_day(None).replace(month=1, day=1)
                bounds = [timezone.make_aware(datetime.datetime(start.year - 1, 1, 1)),
                          timezone.make_aware(datetime.datetime(start.year, 1, 1)),
                          timezone.make_aware(datetime.datetime(start.year + 1, 1, 1))]
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT u.username, "
                        "COALESCE(SUM(CASE WHEN a.awarded_at >= %s THEN a.amount END), 0), "
                        "COALESCE(SUM(CASE WHEN a.awarded_at < %s THEN a.amount END), 0), "
                        "COALESCE(SUM(CASE WHEN a.awarded_at >= %s AND a.credit_id = %s THEN a.amount END), 0) "
                        "FROM credits_plugin_requirementassignment r JOIN auth_user u ON u.id = r.user_id "
                        "LEFT JOIN credits_plugin_awardedcredit a ON a.user_id = r.user_id AND a.status = 'awarded' "
                        "AND a.unit = %s AND a.credit_id IN (%s, %s) AND a.awarded_at >= %s AND a.awarded_at < %s "
                        "WHERE r.requirement_id = %s GROUP BY r.user_id, u.username ORDER BY r.user_id",
                        [bounds[1], bounds[1], bounds[1], ethics.id, "CPD hours", general.id, ethics.id, bounds[0],
                         bounds[2], requirement.id])
                    write_rows_as_csv(cursor)

            t_ours, t_floor = side_by_side(ours, floor, repeat=repeat)
            results.append({"what": what.format(size=size), "ours_s": t_ours, "floor_s": t_floor,
                            "ratio": ratio(t_ours, t_floor), "us_per_row": t_ours / size * 1e6,
                            "peak_mb": peak_memory(ours) / 2 ** 20, "target": "<= 2x a raw GROUP BY; memory flat"})


def bench_status_list(results, sizes, repeat=3):
    """
    The signed revocation list (W3C Bitstring Status List) of ``size`` issued credentials, 1% of
    their awards revoked: built cold (one query, then gzip and an EdDSA signature) side by side
    with the raw query of its revoked slots; the warm (cached) read; its size compressed.
    """
    import random  # pylint: disable=import-outside-toplevel

    from django.core.cache import cache  # pylint: disable=import-outside-toplevel
    from django.db import connection  # pylint: disable=import-outside-toplevel
    from django.test.utils import CaptureQueriesContext  # pylint: disable=import-outside-toplevel
    from django.utils import timezone  # pylint: disable=import-outside-toplevel

    from bench.measure import side_by_side  # pylint: disable=import-outside-toplevel
    from credits_plugin import api  # pylint: disable=import-outside-toplevel
    from credits_plugin.models import AwardedCredit, IssuedCredential  # pylint: disable=import-outside-toplevel
    from credits_plugin.services import credentials  # pylint: disable=import-outside-toplevel
    from credits_plugin.settings import credits_setting  # pylint: disable=import-outside-toplevel

    keys = dict(credits_setting("CREDITS_CREDENTIAL_SIGNING_KEYS") or {})
    _key, pem = api.generate_signing_key("EdDSA", "bench-key")
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    settings.CREDITS_CREDENTIAL_SIGNING_KEYS = dict(keys, **{"bench-key": pem})
    api.activate_signing_key("bench-key")
    site = "https://lms.example.com"
    rng = random.Random(16)
    for size in sizes:
        course_id = f"course-v1:SL+S{size}+1"
        make_course(course_id, 1, name="Status list")
        users = make_users(size, f"sl{size}_")
        pass_learners(course_id, users)
        api.backfill_course_credits(course_id)
        awards = list(AwardedCredit.objects.filter(course_key=course_id).values_list("id", "awarded_at"))
        by_list = {}
        for award_id, at in awards:
            by_list.setdefault(award_id // credentials.LIST_SPAN + 1, []).append((award_id, at))
        number, awards = max(by_list.items(), key=lambda item: len(item[1]))  # the fullest list
        IssuedCredential.objects.all().delete()
        IssuedCredential.objects.bulk_create(
            [IssuedCredential(award_id=award_id, awarded_at=at, status_list=number, status_index=slot)
             for (award_id, at), slot in zip(awards, rng.sample(range(credentials.LIST_BITS), len(awards)),
                                             strict=True)],
            batch_size=5000)
        revoked = [award_id for award_id, _at in awards[::100]]
        AwardedCredit.objects.filter(id__in=revoked).update(status="revoked", revoked_at=timezone.now())
        key = credentials.STATUS_LIST_KEY.format(number=number)

        def ours(number=number, key=key):
            cache.delete(key)
            return api.get_status_list(number, site)

        def floor(number=number):
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT i.status_index FROM credits_plugin_issuedcredential i LEFT JOIN "
                    "credits_plugin_awardedcredit a ON a.id = i.award_id WHERE i.status_list = %s AND "
                    "(a.id IS NULL OR a.status <> 'awarded' OR a.awarded_at <> i.awarded_at)", [number])
                return cursor.fetchall()

        t_ours, t_floor = side_by_side(ours, floor, repeat=repeat)
        with CaptureQueriesContext(connection) as cold:
            listed = ours()
        with CaptureQueriesContext(connection) as warm:
            api.get_status_list(number, site)
        encoded = listed["credential"]["credentialSubject"]["encodedList"]
        assert len(floor()) == len(revoked) and len(cold.captured_queries) == 1 and not warm.captured_queries
        results.append({"what": f"status list, {len(awards):,} credentials, 1% revoked", "ours_s": t_ours,
                        "floor_s": t_floor, "ratio": ratio(t_ours, t_floor), "queries_cold": len(cold.captured_queries),
                        "queries_warm": len(warm.captured_queries), "encoded_list_bytes": len(encoded),
                        "signed_list_bytes": len(listed["jwt"]),
                        "target": "one query, cached; a few kilobytes compressed"})


def bench_summary(results, courses=200, per_course=5, types=4, credits_per_type=10, repeat=7):
    """
    A learner with ``courses * per_course`` awards. As on a real site, the operator's few types
    and credits are shared by the courses: each course picks ``per_course`` of 40 credits.
    """
    from django.db import connection  # pylint: disable=import-outside-toplevel

    from bench.measure import count_queries, side_by_side  # pylint: disable=import-outside-toplevel
    from credits_plugin import api  # pylint: disable=import-outside-toplevel

    learner = make_users(1, "summary_learner_")[0]
    pool = []
    for t in range(types):
        credit_type = api.create_credit_type(name=f"Summary type {t}", unit="hours")
        pool += [api.create_credit(credit_type_id=credit_type.id, name=f"Summary credit {t}.{c}").id
                 for c in range(credits_per_type)]
    for index in range(courses):
        chosen = [pool[(index * per_course + j) % len(pool)] for j in range(per_course)]
        course = designate(f"course-v1:Bench+Summary{index}+1", chosen, name=f"Summary course {index}",
                           amount=f"{1 + index % 7}.{index % 4 * 25:02d}")
        api.award_course_credits(learner, course)
    awards = courses * per_course
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel

    cache.clear()  # the set-up's change marks have lapsed (five minutes later)

    def totals():
        summary = api.get_learner_summary(learner, with_awards=False)
        assert summary.totals and not summary.awards

    def aggregate():
        with connection.cursor() as cursor:
            cursor.execute("SELECT credit_type_name, unit, SUM(amount) FROM credits_plugin_awardedcredit "
                           "WHERE user_id = %s AND status = 'awarded' GROUP BY credit_type_name, unit", [learner])
            cursor.fetchall()

    def listed():
        assert len(api.get_learner_summary(learner).awards) == awards

    def rows():
        with connection.cursor() as cursor:
            cursor.execute("SELECT credit_type_name, unit, SUM(amount) FROM credits_plugin_awardedcredit "
                           "WHERE user_id = %s AND status = 'awarded' GROUP BY credit_type_name, unit", [learner])
            cursor.fetchall()
            cursor.execute("SELECT uuid, course_key, credit_name, credit_type_name, amount, unit, reference_number, "
                           "source, status, awarded_at FROM credits_plugin_awardedcredit WHERE user_id = %s "
                           "ORDER BY awarded_at DESC, id", [learner])
            cursor.fetchall()

    for what, ours, floor, target in (
            (f"learner summary (totals), {awards:,} awards in {courses} courses", totals, aggregate,
             "<= 3 queries; <= 3x"),
            (f"learner summary with its {awards:,} awards listed", listed, rows, "<= 3 queries (no time target)")):
        queries = count_queries(ours)
        t_ours, t_floor = side_by_side(ours, floor, repeat=repeat)
        results.append({"what": what, "ours_us": t_ours * 1e6, "floor_us": t_floor * 1e6,
                        "ratio": ratio(t_ours, t_floor), "queries": queries, "target": target})


def bench_celery(results, events=1000, repeat=2, processes=None):
    """
    Sustained awarding through a real Celery worker on a Redis broker: ``events`` passing events
    sent as fast as this process can, each queued by the plugin's receiver and awarded by the
    worker, against the same worker running an empty task queued by a receiver of the same
    events. Awards per second = events / (first event sent to last award written); p95 = the 95th
    percentile of (award recorded - event sent).

    ``processes=None`` runs the worker as Tutor runs the LMS's (``celery worker`` with Celery's
    defaults: the prefork pool, one process per CPU); ``processes=1`` runs one process (solo pool).
    """
    import subprocess  # pylint: disable=import-outside-toplevel
    import tempfile  # pylint: disable=import-outside-toplevel

    import redis  # pylint: disable=import-outside-toplevel
    from django.db import connection, transaction  # pylint: disable=import-outside-toplevel
    from opaque_keys.edx.keys import CourseKey  # pylint: disable=import-outside-toplevel
    from openedx_events.learning.data import (  # pylint: disable=import-outside-toplevel
        CourseData,
        CoursePassingStatusData,
        UserData,
        UserPersonalData,
    )
    from openedx_events.learning.signals import COURSE_PASSING_STATUS_UPDATED  # pylint: disable=import-outside-toplevel

    from bench.tasks import (  # pylint: disable=import-outside-toplevel
        RAW_AWARD_TABLE,
        create_raw_award_table,
        empty_award_task,
        raw_award_task,
    )
    from credits_plugin.models import AwardedCredit  # pylint: disable=import-outside-toplevel
    from demo.demo_site.celery import app  # pylint: disable=import-outside-toplevel

    broker_url, queue = "redis://127.0.0.1:6379/12", f"credits-bench-{uuid.uuid4().hex[:8]}"
    broker = redis.Redis.from_url(broker_url)
    try:
        broker.ping()
    except redis.exceptions.ConnectionError:
        print("  Redis does not answer on 127.0.0.1:6379: no sustained-awarding row", file=sys.stderr)
        return
    course = make_course(f"course-v1:Bench+Sustained+p{processes or 0}", 1)
    plain = CourseKey.from_string(f"course-v1:Bench+NoCredits+p{processes or 0}")
    folder = tempfile.mkdtemp(prefix="credits-bench-worker-")
    with open(os.path.join(folder, "bench_worker_settings.py"), "w", encoding="utf-8") as handle:
        handle.write(f"from bench.settings import *\nCELERY_TASK_ALWAYS_EAGER = False\n"
                     f"CELERY_BROKER_URL = {broker_url!r}\nCELERY_TASK_DEFAULT_QUEUE = {queue!r}\n"
                     f"CELERY_RESULT_BACKEND = None\n{os.environ.get('CREDITS_BENCH_WORKER_SETTINGS', '')}\n")
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="bench_worker_settings",
               PYTHONPATH=os.pathsep.join([folder, os.getcwd()]))
    pool = ["--pool=solo"] if processes == 1 else ["--pool=prefork", f"--concurrency={processes or os.cpu_count()}"]
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "demo.demo_site.celery", "worker", *pool, "-Q", queue,
         "-I", "bench.tasks", "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app.conf.update(task_always_eager=False, broker_url=broker_url, task_default_queue=queue,
                    result_backend=None)

    create_raw_award_table()
    floor_task = empty_award_task

    def floor_receiver(sender, signal, course_passing_status=None, **kwargs):  # pylint: disable=unused-argument
        data = course_passing_status
        transaction.on_commit(lambda: floor_task.delay(data.user.id, str(data.course.course_key), "passing"))

    def send(user_ids, course_key):
        sent = {}
        for user_id in user_ids:
            sent[user_id] = time.time()
            COURSE_PASSING_STATUS_UPDATED.send_event(course_passing_status=CoursePassingStatusData(
                is_passing=True, course=CourseData(course_key=course_key),
                user=UserData(id=user_id, is_active=True, pii=UserPersonalData(username="", email="", name=""))))
        return sent

    def drained():
        return broker.llen(queue) == 0 and not broker.hlen("unacked")

    def raw_rows(user_ids):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM {RAW_AWARD_TABLE} WHERE course_key = %s AND user_id IN "  # noqa: S608
                           f"({', '.join(['%s'] * len(user_ids))})", [str(plain), *user_ids])
            return cursor.fetchone()[0]

    def run_floor(user_ids, task):
        nonlocal floor_task
        floor_task = task
        COURSE_PASSING_STATUS_UPDATED.connect(floor_receiver, dispatch_uid="bench_floor")
        try:
            started = time.perf_counter()
            send(user_ids, plain)
            if task is raw_award_task:  # done when its rows are written (a task is acknowledged when it starts)
                while raw_rows(user_ids) < len(user_ids):
                    time.sleep(0.02)
            else:
                while not drained():
                    time.sleep(0.005)
            return time.perf_counter() - started
        finally:
            COURSE_PASSING_STATUS_UPDATED.disconnect(dispatch_uid="bench_floor")

    def run_ours(user_ids):
        started = time.perf_counter()
        sent = send(user_ids, course)
        awards = AwardedCredit.objects.filter(course_key=course, user_id__in=user_ids)
        while awards.count() < len(user_ids):
            time.sleep(0.02)
        elapsed = time.perf_counter() - started
        latencies = sorted(at.timestamp() - sent[user_id] for user_id, at in awards.values_list("user_id",
                                                                                                "awarded_at"))
        return elapsed, latencies[int(0.95 * (len(latencies) - 1))]

    try:
        tag = f"p{processes or 0}"
        run_floor(make_users(50, f"cw{tag}_"), empty_award_task)  # the worker is up and warm
        run_floor(make_users(50, f"cw{tag}_"), raw_award_task)
        run_ours(make_users(50, f"cwo{tag}_"))
        best_ours = best_floor = best_raw = float("inf")
        p95 = None
        for attempt in range(repeat):
            best_floor = min(best_floor, run_floor(make_users(events, f"cf{tag}{attempt}_"), empty_award_task))
            best_raw = min(best_raw, run_floor(make_users(events, f"cr{tag}{attempt}_"), raw_award_task))
            elapsed, latency = run_ours(make_users(events, f"co{tag}{attempt}_"))
            if elapsed < best_ours:
                best_ours, p95 = elapsed, latency
    finally:
        worker.terminate()
        worker.wait(30)
        broker.delete(queue)
    described = "1 process" if processes == 1 else f"{processes or os.cpu_count()} processes (Celery's default)"
    results.append({"what": f"sustained awarding through a Celery worker of {described}, {events} events",
                    "ours_us": best_ours / events * 1e6, "floor_us": best_floor / events * 1e6,
                    "ratio": ratio(best_ours, best_floor), "awards_per_s": events / best_ours,
                    "empty_per_s": events / best_floor, "p95_ms": p95 * 1e3,
                    "raw_per_s": events / best_raw, "ratio_raw": ratio(best_ours, best_raw),
                    "target": ">= half the empty task's rate (ratio <= 2)"})


def bench_orm(results, learners=2000, reads=300):
    """
    Why the two hand-written statements stay (docs/performance.md, "Hand-written SQL"): each
    timed side by side with the ORM's form of the same work (and the insert with the raw floor).
    """
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.db import connection, transaction  # pylint: disable=import-outside-toplevel
    from django.db.models import Exists, OuterRef, Subquery  # pylint: disable=import-outside-toplevel

    from bench.measure import insert_ignore_sql, side_by_side  # pylint: disable=import-outside-toplevel
    from credits_plugin.models import AwardedCredit, CourseCredit, CourseCreditSettings  # pylint: disable=import-outside-toplevel
    from credits_plugin.services import awards  # pylint: disable=import-outside-toplevel
    from credits_plugin.services.awards import AWARD_COLUMNS  # pylint: disable=import-outside-toplevel

    course = make_course("course-v1:Bench+Orm+1", 3)
    users = make_users(reads, "orm_")
    User = get_user_model()

    def orm_read(user_id):
        return list(CourseCredit.objects.filter(course_key=course).filter(Exists(CourseCreditSettings.objects.filter(
            course_key=OuterRef("course_key"), enabled=True, award_trigger="passing"))).annotate(
            learner=Subquery(User.objects.filter(pk=user_id).values("username")[:1]),
            held=Subquery(AwardedCredit.objects.filter(user_id=user_id, course_key=OuterRef("course_key"),
                                                       credit_id=OuterRef("credit_id")).values("status")[:1]),
        ).order_by("credit_id").values_list(
            "learner", "credit_id", "amount", "credit__name", "credit__credit_type__name", "credit__credit_type__unit",
            "reference_number", "credit__reference_number", "held"))

    def ours_reads():
        for user_id in users:
            awards._read_course_for_learner(user_id, course, "passing")  # pylint: disable=protected-access

    def orm_reads():
        for user_id in users:
            orm_read(user_id)
    t_ours, t_orm = side_by_side(ours_reads, orm_reads, repeat=5)
    results.append({"what": "award task's read: hand-written vs ORM", "ours_us": t_ours / reads * 1e6,
                    "floor_us": t_orm / reads * 1e6, "ratio": ratio(t_ours, t_orm),
                    "target": "(ORM / ours = 1 / ratio)"})

    insert_course = make_course("course-v1:Bench+OrmInsert+1", 3)
    people = make_users(learners, "ormi_")
    rows = award_rows(insert_course, people)
    columns = ["user_id" if c == "user" else "credit_id" if c == "credit" else c for c in AWARD_COLUMNS]
    sql = insert_ignore_sql("credits_plugin_awardedcredit", columns)
    objects = lambda: [AwardedCredit(**dict(zip(columns, row, strict=True))) for row in rows]  # noqa: E731

    def floor():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def ours():
        with transaction.atomic():
            awards._award_insert("default").run(rows)  # pylint: disable=protected-access

    def orm():
        with transaction.atomic():
            AwardedCredit.objects.bulk_create(objects(), ignore_conflicts=True, batch_size=1000)
    clean = lambda: delete_awards(insert_course)  # noqa: E731
    t_ours, t_floor = side_by_side(ours, floor, repeat=3, setup=clean)
    t_orm, _t = side_by_side(orm, floor, repeat=3, setup=clean)
    clean()
    results.append({"what": f"insert of {len(rows):,} awards: hand-written vs raw", "ours_us": t_ours * 1e6,
                    "floor_us": t_floor * 1e6, "ratio": ratio(t_ours, t_floor), "target": "<= 1.5x (backfill)"})
    results.append({"what": f"insert of {len(rows):,} awards: ORM bulk_create vs raw", "ours_us": t_orm * 1e6,
                    "floor_us": t_floor * 1e6, "ratio": ratio(t_orm, t_floor), "target": "<= 1.5x (backfill)"})


class NoOpStep:
    """The floor of a page's filter: a PipelineStep that changes nothing, run by the same pipeline."""

    def __init__(self, filter_type, running_pipeline):
        self.filter_type, self.running_pipeline = filter_type, running_pipeline

    def run_filter(self, **kwargs):  # pylint: disable=unused-argument
        return {}


def bench_pages(results, enrollments=50, repeat=7, runs=50):
    """
    Each page surface's filter as the platform runs it (``run_filter``, the pipeline read from
    settings), with the plugin's step, side by side with the same filter whose pipeline holds a
    no-op ``PipelineStep`` instead: the ratio is what the step costs against the machinery's own
    floor, and "added" what a page pays for the plugin. Warm: five minutes after the last change
    (the change marks have lapsed), the caches hold what the pages read.
    """
    from types import SimpleNamespace  # pylint: disable=import-outside-toplevel

    import crum  # pylint: disable=import-outside-toplevel
    from django.conf import settings  # pylint: disable=import-outside-toplevel
    from django.contrib.auth import get_user_model  # pylint: disable=import-outside-toplevel
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel
    from django.test import RequestFactory, override_settings  # pylint: disable=import-outside-toplevel
    from edx_django_utils.cache import RequestCache  # pylint: disable=import-outside-toplevel
    from openedx_filters.learning.filters import (  # pylint: disable=import-outside-toplevel
        CertificateRenderStarted,
        CourseAboutRenderStarted,
        CourseRunAPIRenderStarted,
        DashboardRenderStarted,
    )

    from bench.measure import count_queries, side_by_side  # pylint: disable=import-outside-toplevel
    from credits_plugin import api  # pylint: disable=import-outside-toplevel

    learner = get_user_model().objects.create(username="pages_learner")
    courses = [make_course(f"course-v1:Bench+Page{i}+1", 3, name=f"Page course {i}") for i in range(enrollments)]
    for course in courses:
        api.award_course_credits(learner, course)
    cache.clear()  # the set-up's change marks have lapsed
    request = RequestFactory().get("/")
    request.user = learner
    crum.set_current_request(request)
    crum.set_current_user(learner)
    course = courses[0]

    def certificate():
        RequestCache.clear_all_namespaces()  # one page, one request
        CertificateRenderStarted.run_filter({"course_id": str(course), "username": learner.username,
                                             "accomplishment_user_id": learner.pk,
                                             "accomplishment_copy_course_description": "A course."}, None)

    def about():
        RequestCache.clear_all_namespaces()
        CourseAboutRenderStarted.run_filter({"course": SimpleNamespace(id=course)}, "courseware/course_about.html")

    def dashboard():
        RequestCache.clear_all_namespaces()
        DashboardRenderStarted.run_filter({"user": learner}, "dashboard.html")

    def learner_home():
        RequestCache.clear_all_namespaces()
        for key in courses:
            CourseRunAPIRenderStarted.run_filter({"courseId": str(key)})

    surfaces = [("certificate", certificate, CertificateRenderStarted, 1),
                ("about card, warm", about, CourseAboutRenderStarted, 1),
                ("legacy dashboard", dashboard, DashboardRenderStarted, 1),
                (f"learner home, {enrollments} enrollments", learner_home, CourseRunAPIRenderStarted, 1)]
    ours_config = settings.OPEN_EDX_FILTERS_CONFIG
    for name, function, filter_class, pages in surfaces:
        noop_config = dict(ours_config)
        noop_config[filter_class.filter_type] = {"fail_silently": True, "pipeline": ["bench.run.NoOpStep"]}
        function()  # warm
        queries = count_queries(function)

        def many(function=function):
            for _ in range(runs):
                function()

        def floor(many=many, noop_config=noop_config):
            with override_settings(OPEN_EDX_FILTERS_CONFIG=noop_config):
                many()

        def ours(many=many):
            with override_settings(OPEN_EDX_FILTERS_CONFIG=ours_config):
                many()
        t_ours, t_floor = side_by_side(ours, floor, repeat=repeat)
        per_page_ours, per_page_floor = t_ours / runs / pages, t_floor / runs / pages
        results.append({"what": f"page: {name}", "ours_us": per_page_ours * 1e6, "floor_us": per_page_floor * 1e6,
                        "ratio": ratio(t_ours, t_floor), "queries": queries,
                        "added_us": (per_page_ours - per_page_floor) * 1e6,
                        "target": "<= 2x a no-op step; <= 1 query"})
    cache.clear()
    about()
    results.append({"what": "page: about card, cold", "ours_us": 0, "floor_us": 0, "ratio": "-",
                    "queries": count_queries(lambda: (cache.clear(), about())), "target": "<= 1 query"})
    crum.set_current_request(None)


def driver(connection):
    """The Python database driver: PyMySQL installed as MySQLdb names itself pymysql."""
    module = connection.Database
    version = getattr(module, "__version__", "") or ".".join(map(str, module.version_info[:3]))
    return "sqlite3" if connection.vendor == "sqlite" else f"{module.__name__} {version}"


def server(connection):
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    name = "MariaDB" if connection.mysql_is_mariadb else "MySQL"
    return f"{name} {'.'.join(map(str, connection.mysql_version))}"


def cache_name():
    from django.conf import settings  # pylint: disable=import-outside-toplevel

    backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    return f"{backend} {settings.CACHES['default'].get('LOCATION', '')}".strip()


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "mysql"], default="sqlite")
    parser.add_argument("--out", required=True)
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    args = parser.parse_args(argv)
    configure(args.db)
    from django.db import connection  # pylint: disable=import-outside-toplevel

    fresh_database()
    from django.core.cache import cache  # pylint: disable=import-outside-toplevel

    cache.clear()  # the bench's own cache (Redis database 15 or local memory)
    sizes = [int(s) for s in args.sizes.split(",")]
    scenarios = {
        "award": lambda r: bench_award(r),
        "fastpath": lambda r: bench_fast_path(r),
        "backfill": lambda r: bench_backfill(r, sizes),
        "report": lambda r: bench_report(r, sizes),
        "compliance": lambda r: bench_compliance(r, sizes),
        "statuslist": lambda r: bench_status_list(r, sizes),
        "summary": lambda r: bench_summary(r),
        "pages": lambda r: bench_pages(r),
        "celery": lambda r: (bench_celery(r), bench_celery(r, processes=1)),
        "orm": lambda r: bench_orm(r),
    }
    wanted = [s for s in args.only.split(",") if s] or list(scenarios)
    results = []
    for name in wanted:
        started = time.perf_counter()
        scenarios[name](results)
        print(f"  [{args.db}] {name} done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    with open(args.out, "w", encoding="utf-8") as handle:
        json.dump({"db": args.db, "vendor": connection.vendor, "driver": driver(connection),
                   "server": server(connection), "cache": cache_name(), "results": results}, handle, default=str)


if __name__ == "__main__":
    main()
