"""
Automatic awards from the cached picture of a course (credits_plugin.services.course_cache).

The award task runs outside any transaction, so these tests use ``transactional_db``: that is
where the one-query path runs (inside a transaction an award reads the database).
"""
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction

from credits_plugin import api, signals
from credits_plugin.constants import AwardStatus
from credits_plugin.models import AwardedCredit, CourseCredit, CourseCreditSettings
from credits_plugin.services import course_cache
from tests.factories import COURSE_ID, CreditFactory, CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def from_cache(settings):
    settings.CREDITS_AWARD_FROM_CACHE = True  # the tests' local-memory cache serves this one process


@pytest.fixture
def ethics(course_key):
    cpa = CreditTypeFactory(name="CPA", unit="CPD hours")
    credit = CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-1")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": credit.pk, "amount": "2.50"}])
    return credit


def award(user, trigger="passing"):
    return api.award_on_trigger(user.pk, COURSE_ID, trigger, username=user.username)


def snapshot_of(award_row):
    return (award_row.amount, award_row.credit_name, award_row.credit_type_name, award_row.unit,
            award_row.reference_number)


def test_a_first_award_is_one_query_whatever_the_number_of_credits(ethics, django_assert_num_queries):
    first, second, third, fourth = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    with django_assert_num_queries(3):  # the course's first award reads it (two queries) and fills the cache
        award(first)
    with django_assert_num_queries(1):
        assert len(award(second).created) == 1
    credits = [{"credit": ethics.pk, "amount": "2.50"}]
    credits += [{"credit": CreditFactory().pk, "amount": "1"} for _ in range(19)]
    api.set_course_settings(COURSE_ID, enabled=True, credits=credits)
    award(third)
    with django_assert_num_queries(1):
        assert len(award(fourth).created) == 20


def test_it_writes_what_the_database_path_writes(ethics):
    api.set_course_settings(COURSE_ID, enabled=True,
                            credits=[{"credit": ethics.pk, "amount": "2.5", "reference_number": "COURSE-7"}])
    cached, read = UserFactory(), UserFactory()
    award(UserFactory())
    created = award(cached).created[0]
    with transaction.atomic():  # inside a transaction: the database path
        api.award_course_credits(read, COURSE_ID)
    rows = {a.user_id: a for a in AwardedCredit.objects.filter(user__in=[cached, read])}
    assert snapshot_of(rows[cached.pk]) == snapshot_of(rows[read.pk]) == (
        Decimal("2.50"), "Ethics", "CPA", "CPD hours", "COURSE-7")
    assert (created.uuid, created.amount, created.username) == (rows[cached.pk].uuid, Decimal("2.50"), cached.username)


@pytest.mark.parametrize("change, expected", [
    ("amount", (Decimal("4.00"), "Ethics", "CPA", "CPD hours", "CPA-1")),
    ("course reference", (Decimal("2.50"), "Ethics", "CPA", "CPD hours", "C-9")),
    ("credit name", (Decimal("2.50"), "Ethics II", "CPA", "CPD hours", "CPA-1")),
    ("credit reference", (Decimal("2.50"), "Ethics", "CPA", "CPD hours", "CPA-2")),
    ("type", (Decimal("2.50"), "Ethics", "CPA Ontario", "PD hours", "CPA-1")),
])
def test_every_change_of_what_an_award_records_is_awarded_at_once(ethics, change, expected):
    award(UserFactory())  # cached now
    if change == "amount":
        api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": ethics.pk, "amount": "4"}])
    elif change == "course reference":
        api.set_course_settings(COURSE_ID, enabled=True,
                                credits=[{"credit": ethics.pk, "amount": "2.50", "reference_number": "C-9"}])
    elif change == "credit name":
        api.update_credit(ethics.pk, name="Ethics II")
    elif change == "credit reference":
        api.update_credit(ethics.pk, reference_number="CPA-2")
    else:
        api.update_credit_type(ethics.credit_type_id, name="CPA Ontario", unit="PD hours")
    learner = UserFactory()
    award(learner)
    assert snapshot_of(AwardedCredit.objects.get(user=learner)) == expected


def test_switching_off_adding_and_removing_credits_take_effect_at_once(ethics):
    leadership = CreditFactory(name="Leadership")
    award(UserFactory())
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": ethics.pk, "amount": "1"},
                                                              {"credit": leadership.pk, "amount": "1"}])
    assert {a.credit_name for a in award(UserFactory()).created} == {"Ethics", "Leadership"}
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": leadership.pk, "amount": "1"}])
    assert [a.credit_name for a in award(UserFactory()).created] == ["Leadership"]
    api.set_course_settings(COURSE_ID, enabled=True, award_trigger="certificate",
                            credits=[{"credit": leadership.pk, "amount": "1"}])
    assert award(UserFactory(), "passing").created == ()
    assert len(award(UserFactory(), "certificate").created) == 1
    api.set_course_settings(COURSE_ID, enabled=False, credits=[{"credit": leadership.pk, "amount": "1"}])
    assert award(UserFactory(), "certificate").created == ()


def test_a_change_made_in_another_process_arrives_within_the_local_seconds(ethics, monkeypatch, settings):
    """Another process's change bumps the shared version numbers; this one's copy lasts its few seconds."""
    clock = [1000.0]
    monkeypatch.setattr(course_cache, "clock", lambda: clock[0])
    award(UserFactory())
    CourseCredit.objects.filter(credit=ethics).update(amount=Decimal("9.00"))  # no signal: "elsewhere"...
    cache.incr(course_cache.COURSES_VERSION_KEY)  # ...whose commit bumped the shared number
    early, late = UserFactory(), UserFactory()
    clock[0] += settings.CREDITS_LOCAL_CACHE_SECONDS - 0.5
    assert award(early).created[0].amount == Decimal("2.50")
    clock[0] += 1
    assert award(late).created[0].amount == Decimal("9.00")


def test_with_no_local_seconds_every_award_checks_the_shared_numbers(ethics, settings):
    settings.CREDITS_LOCAL_CACHE_SECONDS = 0
    award(UserFactory())
    CourseCredit.objects.filter(credit=ethics).update(amount=Decimal("9.00"))
    cache.incr(course_cache.COURSES_VERSION_KEY)
    assert award(UserFactory()).created[0].amount == Decimal("9.00")


def test_an_entry_stamped_before_an_evicted_number_is_never_used_again(ethics, settings):
    """A number evicted and created again (by any process) starts at a new random value, never an old one."""
    settings.CREDITS_LOCAL_CACHE_SECONDS = 0
    cache.delete_many([course_cache.STRUCTURE_VERSION_KEY, course_cache.COURSES_VERSION_KEY])
    award(UserFactory())  # numbers created afresh; the course's entry stamped with them
    cache.delete_many([course_cache.STRUCTURE_VERSION_KEY, course_cache.COURSES_VERSION_KEY])  # evicted...
    CourseCredit.objects.filter(credit=ethics).update(amount=Decimal("9.00"))  # ...a change missed...
    course_cache.structure_version(), course_cache.courses_version()  # ...and created again elsewhere
    assert award(UserFactory()).created[0].amount == Decimal("9.00")


def test_held_and_revoked_credits_are_counted_as_the_database_path_counts_them(ethics, staff_user):
    leadership = CreditFactory(name="Leadership")
    learner = UserFactory()
    award(learner)
    api.revoke_award(AwardedCredit.objects.get(user=learner).uuid, acting_user=staff_user, reason="Wrong course")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": ethics.pk, "amount": "1"},
                                                              {"credit": leadership.pk, "amount": "1"}])
    result = award(learner)
    assert ([a.credit_name for a in result.created], result.already_awarded, result.skipped_revoked) == (
        ["Leadership"], 0, 1)
    again = award(learner)
    assert (again.created, again.already_awarded, again.skipped_revoked) == ((), 1, 1)
    assert AwardedCredit.objects.get(user=learner, credit=ethics).status == AwardStatus.REVOKED


def test_a_user_deleted_since_the_event_gets_nothing_and_nothing_fails(ethics):
    gone = UserFactory(username="gone")
    award(UserFactory())
    gone_id = gone.pk
    gone.delete()
    result = api.award_on_trigger(gone_id, COURSE_ID, "passing", username="gone")
    assert result.created == () and not AwardedCredit.objects.filter(user_id=gone_id).exists()


def test_the_task_asks_the_shared_cache_before_trusting_a_local_no(ethics, monkeypatch):
    """A process's copy from before credits were switched on must not lose an award."""
    clock = [1000.0]
    monkeypatch.setattr(course_cache, "clock", lambda: clock[0])
    api.set_course_settings(COURSE_ID, enabled=False, credits=[{"credit": ethics.pk, "amount": "2.50"}])
    assert award(UserFactory()).created == ()  # "no" kept in this process...
    CourseCreditSettings.objects.filter(course_key=COURSE_ID).update(enabled=True)  # ...switched on elsewhere
    cache.incr(course_cache.COURSES_VERSION_KEY)
    assert len(award(UserFactory()).created) == 1


def test_nothing_a_transaction_reads_of_its_own_changes_is_cached(ethics):
    """As the admin's rehearsal of a change does: change, read, roll back. Nothing of it may stay."""
    learner = UserFactory()
    with transaction.atomic():
        api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": ethics.pk, "amount": "7"}])
        api.award_course_credits(learner, COURSE_ID)
        api.set_course_settings(COURSE_ID, enabled=False, credits=[{"credit": ethics.pk, "amount": "7"}])
        assert not api.course_award_flags(COURSE_ID).awards_on("passing")
        transaction.set_rollback(True)
    assert cache.get(course_cache.course_cache_key(course_cache.AWARDING_KEY, COURSE_ID)) is None
    assert course_cache._local == {}  # pylint: disable=protected-access
    assert api.course_award_flags(COURSE_ID).awards_on("passing")
    assert award(UserFactory()).created[0].amount == Decimal("2.50")


def test_a_transaction_that_changed_nothing_may_fill_the_caches(ethics):
    """The LMS wraps each request in a transaction (ATOMIC_REQUESTS): the receivers' check still caches."""
    with transaction.atomic():
        assert api.course_award_flags(COURSE_ID).awards_on("passing")
    assert cache.get(f"credits_plugin.course_flags.v1.{COURSE_ID}") is not None
    assert ("flags", COURSE_ID) in course_cache._local  # pylint: disable=protected-access


def test_a_fetch_that_a_change_overtook_is_not_kept():
    """A thread's bump while another thread reads the course: the older read is used once, not kept."""
    def fetch(course_key):
        api.bump_structure_version()  # another thread's change lands during the read
        return "read before the change"
    assert course_cache.local_copy("test", COURSE_ID, fetch) == "read before the change"
    assert ("test", COURSE_ID) not in course_cache._local  # pylint: disable=protected-access


def test_a_failing_cache_never_breaks_a_save_and_invalidates_what_it_can(ethics, monkeypatch, caplog):
    award(UserFactory())
    deleted = []
    real_delete = cache.delete

    def broken_incr(*args, **kwargs):
        raise ConnectionError("the cache is down")
    monkeypatch.setattr(cache, "incr", broken_incr)
    monkeypatch.setattr(cache, "delete", lambda key, *a, **kw: deleted.append(key) or real_delete(key, *a, **kw))
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": ethics.pk, "amount": "6"}])
    assert course_cache.COURSES_VERSION_KEY in deleted and "Could not change" in caplog.text
    monkeypatch.undo()
    assert award(UserFactory()).created[0].amount == Decimal("6.00")


def test_a_long_course_key_makes_a_short_cache_key():
    long_id = "course-v1:" + "O" * 120 + "+" + "C" * 120 + "+R"
    key = course_cache.course_cache_key(course_cache.AWARDING_KEY, long_id)
    assert len(key) < 100 and key == course_cache.course_cache_key(course_cache.AWARDING_KEY, long_id)
    assert course_cache.course_cache_key(course_cache.AWARDING_KEY, COURSE_ID).endswith(COURSE_ID)


def test_awards_from_the_cache_are_announced_once_each(ethics):
    seen = []

    def receiver(sender, award, **kwargs):  # pylint: disable=unused-argument
        seen.append(award)
    signals.credit_awarded.connect(receiver, dispatch_uid="test_cache_announce")
    try:
        learner = UserFactory()
        award(UserFactory())
        seen.clear()
        created = award(learner).created
        award(learner)  # held already: nothing new to announce
    finally:
        signals.credit_awarded.disconnect(dispatch_uid="test_cache_announce")
    assert [a.uuid for a in seen] == [created[0].uuid]


def test_a_failing_cache_leaves_the_award_to_the_database(ethics, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")
    monkeypatch.setattr(cache, "get_many", broken)
    learner = UserFactory()
    assert len(award(learner).created) == 1
    assert "awarding in course-v1" in caplog.text and AwardedCredit.objects.filter(user=learner).exists()


def test_without_a_username_the_task_reads_the_database(ethics, django_assert_num_queries):
    """Tasks queued by an earlier version carry no username: flags, then the learner's read and the insert."""
    learner = UserFactory()
    with django_assert_num_queries(3):
        created = api.award_on_trigger(learner.pk, COURSE_ID, "passing").created
    assert created[0].username == learner.username


@pytest.mark.parametrize("backend, expected", [
    ("django.core.cache.backends.locmem.LocMemCache", False),
    ("django.core.cache.backends.dummy.DummyCache", False),
    ("django.core.cache.backends.filebased.FileBasedCache", False),  # per host; incr not atomic
    ("django.core.cache.backends.db.DatabaseCache", False),  # incr not atomic
    ("django.core.cache.backends.redis.RedisCache", True),
    ("django_redis.cache.RedisCache", True),
    ("django.core.cache.backends.memcached.PyMemcacheCache", True),
])
def test_awards_use_the_cache_only_where_every_process_shares_it(settings, backend, expected):
    settings.CREDITS_AWARD_FROM_CACHE = None
    settings.CACHES = {"default": {"BACKEND": backend}}
    assert course_cache.award_from_cache() is expected
    settings.CREDITS_AWARD_FROM_CACHE = not expected
    assert course_cache.award_from_cache() is (not expected)


@pytest.mark.redis
def test_through_a_real_redis_cache_as_tutor_configures_it(ethics, settings, django_assert_num_queries):
    """django-redis (Tutor's LMS cache): the entry and the random version numbers survive the trip."""
    from django.core.cache import caches  # pylint: disable=import-outside-toplevel

    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/14"}}
    settings.CREDITS_AWARD_FROM_CACHE = None  # decided by the backend: shared
    settings.CREDITS_LOCAL_CACHE_SECONDS = 0
    redis_cache = caches["default"]
    assert type(redis_cache).__module__ == "django_redis.cache"
    redis_cache.clear()
    try:
        learners = [UserFactory() for _ in range(3)]
        award(learners[0])
        with django_assert_num_queries(1):
            assert award(learners[1]).created[0].amount == Decimal("2.50")
        api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": ethics.pk, "amount": "3"}])
        assert award(learners[2]).created[0].amount == Decimal("3.00")
        assert redis_cache.get(course_cache.COURSES_VERSION_KEY) > 1
    finally:
        redis_cache.clear()


def test_the_receivers_check_reads_the_database_when_the_cache_fails(ethics, monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("the cache is down")
    monkeypatch.setattr(cache, "get", broken)
    course_cache.forget_local_copies()
    assert api.course_award_flags(COURSE_ID).awards_on("passing")
