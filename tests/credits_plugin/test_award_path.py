"""
The award path: the receivers' cached "does this course award?" answer, forgotten on commit, and
the task that reads the database and inserts (credits_plugin.services.course_cache and triggers).

Transactions commit here (``transactional_db``), as they do in the platform, so the marks a
change writes when it commits are those a site would see.
"""
import threading
from decimal import Decimal

import pytest
from django.core import checks
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from credits_plugin import api, signals
from credits_plugin.models import AwardedCredit, CourseCreditSettings
from credits_plugin.services import course_cache, triggers
from tests.factories import COURSE_ID, CreditFactory, CreditTypeFactory, UserFactory, lapse_change_marks

pytestmark = pytest.mark.django_db(transaction=True)
FLAGS = course_cache.course_cache_key(course_cache.FLAGS_KEY, COURSE_ID)


@pytest.fixture
def ethics(course_key):
    cpa = CreditTypeFactory(name="CPA", unit="CPD hours")
    credit = CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-1")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": credit.pk, "amount": "2.50"}])
    return credit


def award(user, trigger="passing"):
    return api.award_on_trigger(user.pk, COURSE_ID, trigger)


def test_the_task_costs_two_queries_whatever_the_number_of_credits(ethics, django_assert_num_queries):
    """Two queries award; once they commit, one more asks which requirements apply to the learner."""
    first, second = UserFactory(), UserFactory()
    with django_assert_num_queries(3):  # the course and learner read together; the insert; requirements
        assert len(award(first).created) == 1
    credits = [{"credit": ethics.pk, "amount": "2.50"}]
    credits += [{"credit": CreditFactory().pk, "amount": "1"} for _ in range(19)]
    api.set_course_settings(COURSE_ID, enabled=True, credits=credits)
    with django_assert_num_queries(3):
        assert len(award(second).created) == 20
    with django_assert_num_queries(3):  # the first learner lacks 19 of them
        result = award(first)
    assert (len(result.created), result.already_awarded) == (19, 1)
    with django_assert_num_queries(1):  # everything held: nothing to insert
        assert award(second).already_awarded == 20


@pytest.mark.parametrize("change", [
    {"enabled": False},
    {"award_trigger": "certificate"},
])
def test_the_task_judges_by_the_database_now_in_one_query(ethics, change, django_assert_num_queries):
    """A task queued while the course awarded on passing, run after the course changed: nothing."""
    CourseCreditSettings.objects.filter(course_key=COURSE_ID).update(**change)  # no signals: the cache is not told
    learner = UserFactory()
    with django_assert_num_queries(1):
        assert award(learner).created == ()
    assert not AwardedCredit.objects.exists()


def test_a_task_for_a_deleted_learner_awards_nothing(ethics):
    learner = UserFactory()
    learner_id = learner.pk
    learner.delete()
    assert api.award_on_trigger(learner_id, COURSE_ID, "passing").created == ()
    assert not AwardedCredit.objects.exists()


def test_it_records_the_snapshot_of_the_designation(ethics):
    api.set_course_settings(COURSE_ID, enabled=True,
                            credits=[{"credit": ethics.pk, "amount": "2.5", "reference_number": "COURSE-7"}])
    row = AwardedCredit.objects.get(uuid=award(UserFactory()).created[0].uuid)
    assert (row.amount, row.credit_name, row.credit_type_name, row.unit, row.reference_number) == (
        Decimal("2.50"), "Ethics", "CPA", "CPD hours", "COURSE-7")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": ethics.pk, "amount": "2.5"}])
    row = AwardedCredit.objects.get(uuid=award(UserFactory()).created[0].uuid)
    assert row.reference_number == "CPA-1"  # the course has none of its own: the credit's


def test_rows_a_concurrent_award_won_cost_a_third_query_and_are_not_reported(ethics, monkeypatch):
    from credits_plugin.services import awards  # pylint: disable=import-outside-toplevel

    learner, other_worker = UserFactory(), []
    real_read = awards._read_course_for_learner  # pylint: disable=protected-access

    def read_then_lose_the_race(*args, **kwargs):
        found = real_read(*args, **kwargs)  # the learner holds nothing yet...
        if not other_worker:  # ...and another worker's award lands now
            other_worker.append(None)
            other_worker[0] = api.award_course_credits(learner, COURSE_ID)
        return found
    monkeypatch.setattr(awards, "_read_course_for_learner", read_then_lose_the_race)
    with CaptureQueriesContext(connection) as queries:
        result = award(learner)
    # Our read; the other worker's read, insert and (after its commit) the requirements that apply to
    # the learner; our insert (nothing went in); which of ours went in.
    assert len(queries.captured_queries) == 6 and queries.captured_queries[5]["sql"].startswith("SELECT")
    assert "creditrequirement" in queries.captured_queries[3]["sql"]
    assert result.created == () and AwardedCredit.objects.filter(user=learner).count() == 1
    assert len(other_worker[0].created) == 1


def test_awards_are_announced_once_each(ethics):
    seen = []

    def receiver(sender, award, **kwargs):  # pylint: disable=unused-argument
        seen.append(award)
    signals.credit_awarded.connect(receiver, dispatch_uid="test_award_path_announce")
    try:
        learner = UserFactory()
        created = award(learner).created
        award(learner)  # held already: nothing new to announce
    finally:
        signals.credit_awarded.disconnect(dispatch_uid="test_award_path_announce")
    assert [a.uuid for a in seen] == [created[0].uuid] and seen[0].username == learner.username


# --- the receivers' cached answer ------------------------------------------------------------


def test_a_warm_answer_costs_no_query_and_a_change_shows_at_once(ethics, django_assert_num_queries):
    lapse_change_marks()
    assert api.course_award_flags(COURSE_ID).awards_on("passing")  # read and stored
    with django_assert_num_queries(0):
        assert api.course_award_flags(COURSE_ID).awards_on("passing")
    api.set_course_enabled(COURSE_ID, False)
    assert cache.get(FLAGS) == course_cache.CHANGED
    assert not api.course_award_flags(COURSE_ID).awards_on("passing")
    assert cache.get(FLAGS) == course_cache.CHANGED  # while the mark stands, nothing is stored


def test_a_read_that_began_before_a_change_committed_cannot_store_the_old_answer(ethics):
    """The race a plain delete-on-commit loses: read the old row, the change commits, store the old row."""
    api.set_course_enabled(COURSE_ID, False)
    lapse_change_marks()
    read, stored = threading.Event(), threading.Event()
    real_read = triggers._read_flags  # pylint: disable=protected-access

    def slow_read(course_key):
        flags = real_read(course_key)  # credits off, as committed now
        read.set()
        stored.wait(10)  # meanwhile the author switches credits on and it commits
        return flags

    def author():
        read.wait(10)
        api.set_course_enabled(COURSE_ID, True)
        stored.set()
    thread = threading.Thread(target=author)
    thread.start()
    triggers._read_flags = slow_read  # pylint: disable=protected-access
    try:
        assert not api.course_award_flags(COURSE_ID).enabled  # the answer of its time...
    finally:
        triggers._read_flags = real_read  # pylint: disable=protected-access
        thread.join()
    assert api.course_award_flags(COURSE_ID).awards_on("passing")  # ...never stored over the change's mark


def test_a_rolled_back_change_leaves_no_answer_behind(ethics):
    lapse_change_marks()
    with pytest.raises(RuntimeError), transaction.atomic():
        api.set_course_enabled(COURSE_ID, False)
        assert not api.course_award_flags(COURSE_ID).enabled  # its own uncommitted state: not stored
        raise RuntimeError("the admin's rehearsal of a change, say")
    assert cache.get(FLAGS) == course_cache.CHANGED
    assert api.course_award_flags(COURSE_ID).awards_on("passing")


def test_a_change_that_commits_marks_again_when_it_commits(ethics, monkeypatch):
    marks = []
    real = cache.set_many
    monkeypatch.setattr(cache, "set_many", lambda data, *a, **kw: marks.append(sorted(data)) or real(data, *a, **kw))
    with transaction.atomic():
        api.set_course_enabled(COURSE_ID, False)
        during = len(marks)
    assert during >= 1 and len(marks) == 2 * during  # each mark again on commit
    card = course_cache.course_cache_key(course_cache.CARD_KEY, COURSE_ID)
    assert sorted([FLAGS, card, course_cache.CARDS_KEY]) in marks


def test_the_receivers_check_reads_the_database_when_the_cache_fails(ethics, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")
    monkeypatch.setattr(cache, "get", broken)
    monkeypatch.setattr(cache, "set_many", broken)
    assert api.course_award_flags(COURSE_ID).awards_on("passing")
    api.set_course_enabled(COURSE_ID, False)  # a failing cache never breaks a save
    assert not api.course_award_flags(COURSE_ID).enabled
    assert "The cache failed" in caplog.text


def test_a_long_course_key_makes_a_short_cache_key():
    long_id = "course-v1:" + "O" * 120 + "+" + "C" * 120 + "+R"
    key = course_cache.course_cache_key(course_cache.FLAGS_KEY, long_id)
    assert len(key) < 100 and key == course_cache.course_cache_key(course_cache.FLAGS_KEY, long_id)
    assert course_cache.course_cache_key(course_cache.FLAGS_KEY, COURSE_ID).endswith(COURSE_ID)


def test_a_credit_or_type_rename_shows_on_the_cards_at_once(ethics, django_assert_num_queries):
    lapse_change_marks()
    assert api.course_card(COURSE_ID)[0]["credit_name"] == "Ethics"
    assert api.course_cards()[COURSE_ID][0]["credit_name"] == "Ethics"
    with django_assert_num_queries(0):
        assert api.course_card(COURSE_ID)[0]["credit_name"] == "Ethics"
    api.update_credit(ethics.pk, name="Professional ethics")
    assert api.course_card(COURSE_ID)[0]["credit_name"] == "Professional ethics"
    assert api.course_cards()[COURSE_ID][0]["credit_name"] == "Professional ethics"
    lapse_change_marks()
    api.course_card(COURSE_ID)
    api.update_credit_type(ethics.credit_type_id, name="CPA Ontario")
    assert api.course_card(COURSE_ID)[0]["credit_type_name"] == "CPA Ontario"


# --- settings earlier releases read --------------------------------------------------------------------


def test_a_removed_setting_left_in_the_config_gets_one_warning_each(settings):
    settings.CREDITS_AWARD_FROM_CACHE = True
    settings.CREDITS_LOCAL_CACHE_SECONDS = 2
    found = [m for m in checks.run_checks() if m.id == "credits_plugin.W001"]
    assert len(found) == 2 and all(m.level == checks.WARNING for m in found)
    assert "CREDITS_AWARD_FROM_CACHE is set but Course Credits no longer reads it" in found[0].msg
    del settings.CREDITS_AWARD_FROM_CACHE
    del settings.CREDITS_LOCAL_CACHE_SECONDS
    assert not [m for m in checks.run_checks() if m.id == "credits_plugin.W001"]


@pytest.mark.redis
def test_through_a_real_redis_cache_as_tutor_configures_it(ethics, settings, django_assert_num_queries):
    """django-redis (Tutor's LMS cache): answers, marks and ``add`` behave as the local cache's do."""
    from django.core.cache import caches  # pylint: disable=import-outside-toplevel

    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/14"}}
    redis_cache = caches["default"]
    assert type(redis_cache).__module__ == "django_redis.cache"
    redis_cache.clear()
    try:
        assert api.course_award_flags(COURSE_ID).awards_on("passing")
        with django_assert_num_queries(0):
            assert api.course_award_flags(COURSE_ID).awards_on("passing")
        api.set_course_enabled(COURSE_ID, False)
        assert redis_cache.get(FLAGS) == course_cache.CHANGED and 0 < redis_cache.ttl(FLAGS) <= 300
        assert not api.course_award_flags(COURSE_ID).enabled
        assert redis_cache.get(FLAGS) == course_cache.CHANGED
    finally:
        redis_cache.clear()
