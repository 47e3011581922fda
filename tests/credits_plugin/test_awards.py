"""Awarding, manual awards and revocation through credits_plugin.api."""
import uuid
from decimal import Decimal

import pytest

from credits_plugin import api
from credits_plugin.exceptions import CreditsConflict, CreditsNotFound, CreditsValidationError
from credits_plugin.models import AwardedCredit
from tests.factories import COURSE_ID, CourseCreditFactory, CreditFactory, CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def designations(course_key):
    cpa = CreditTypeFactory(name="CPA", unit="CPD hours", requires_reference_number=True)
    return [
        CourseCreditFactory(credit=CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-1"),
                            amount=Decimal("2.50")),
        CourseCreditFactory(credit=CreditFactory(name="Leadership", reference_number=""), amount=Decimal("1.00"),
                            reference_number="COURSE-7"),
    ]


def test_award_snapshots_the_designation(learner, designations):
    result = api.award_course_credits(learner, COURSE_ID)
    assert len(result.created) == 2
    ethics = next(a for a in result.created if a.credit_name == "Ethics")
    assert (ethics.amount, ethics.unit, ethics.credit_type_name, ethics.reference_number, ethics.source,
            ethics.status, ethics.username) == (Decimal("2.50"), "CPD hours", "CPA", "CPA-1", "passing",
                                                "awarded", "learner")
    leadership = next(a for a in result.created if a.credit_name == "Leadership")
    assert leadership.reference_number == "COURSE-7"


def test_award_is_idempotent(learner, designations):
    api.award_course_credits(learner, COURSE_ID)
    for _ in range(10):
        again = api.award_course_credits(learner.pk, COURSE_ID)
        assert again.created == ()
        assert again.already_awarded == 2
    assert AwardedCredit.objects.count() == 2


def test_award_costs_the_same_queries_for_1_and_20_credits(django_assert_num_queries, course_key):
    one, many = UserFactory(), UserFactory()
    CourseCreditFactory()
    # The course's credits with the learner's username and awards; the insert.
    with django_assert_num_queries(2):
        assert len(api.award_course_credits(one, COURSE_ID).created) == 1
    for _ in range(19):
        CourseCreditFactory()
    with django_assert_num_queries(2):
        assert len(api.award_course_credits(many, COURSE_ID).created) == 20
    with django_assert_num_queries(1):  # all held: the read says so, nothing to insert
        assert api.award_course_credits(many, COURSE_ID).already_awarded == 20
    by_id = UserFactory(username="by_id").pk
    with django_assert_num_queries(2):  # given a user id, as the task is: the same
        created = api.award_course_credits(by_id, COURSE_ID).created
    assert len(created) == 20 and {a.username for a in created} == {"by_id"}


def test_rows_a_concurrent_award_won_are_not_reported_as_created(learner, designations):
    """The insert skips rows that clash with the unique constraint; only the rows that went in are announced."""
    import attr  # pylint: disable=import-outside-toplevel

    from credits_plugin.services.awards import insert_awards  # pylint: disable=import-outside-toplevel

    first = api.award_course_credits(learner, COURSE_ID).created
    AwardedCredit.objects.filter(uuid=first[1].uuid).delete()
    retry = [attr.evolve(a, uuid=uuid.uuid4()) for a in first]  # the same credits again, new public ids
    went_in = insert_awards(retry)
    assert [a.credit_id for a in went_in] == [first[1].credit_id]
    assert AwardedCredit.objects.get(credit_id=first[1].credit_id).uuid == went_in[0].uuid
    assert AwardedCredit.objects.get(credit_id=first[0].credit_id).uuid == first[0].uuid  # untouched


def test_award_for_course_without_designations_is_a_no_op(learner, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert api.award_course_credits(learner, COURSE_ID).created == ()


def test_later_edits_never_change_past_awards(learner, designations):
    api.award_course_credits(learner, COURSE_ID)
    ethics = designations[0].credit
    api.update_credit(ethics.pk, name="Ethics (new)", reference_number="CPA-2")
    api.update_credit_type(ethics.credit_type_id, name="CPA Ontario", unit="hours")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": ethics.pk, "amount": "9"}])
    award = AwardedCredit.objects.get(credit=ethics)
    assert (award.credit_name, award.credit_type_name, award.unit, award.reference_number, award.amount) == (
        "Ethics", "CPA", "CPD hours", "CPA-1", Decimal("2.50"))


def test_new_designation_is_awarded_on_next_award(learner, designations):
    api.award_course_credits(learner, COURSE_ID)
    CourseCreditFactory()
    result = api.award_course_credits(learner, COURSE_ID)
    assert len(result.created) == 1 and result.already_awarded == 2


def test_revoke_requires_reason_and_keeps_the_record(learner, staff_user, designations):
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    with pytest.raises(CreditsValidationError) as error:
        api.revoke_award(award.uuid, acting_user=staff_user, reason="  ")
    assert "reason" in error.value.field_errors
    assert AwardedCredit.objects.get(uuid=award.uuid).status == "awarded"
    revoked = api.revoke_award(award.uuid, acting_user=staff_user, reason="Academic misconduct")
    assert (revoked.status, revoked.revoked_by, revoked.reason) == ("revoked", staff_user.username,
                                                                    "Academic misconduct")
    assert revoked.revoked_at is not None
    with pytest.raises(CreditsConflict):
        api.revoke_award(award.uuid, acting_user=staff_user, reason="again")


def test_automatic_award_does_not_bring_back_a_revoked_award(learner, staff_user, designations):
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    api.revoke_award(award.uuid, acting_user=staff_user, reason="Misconduct")
    result = api.award_course_credits(learner, COURSE_ID)
    assert result.created == () and result.skipped_revoked == 1
    assert AwardedCredit.objects.get(uuid=award.uuid).status == "revoked"


def test_manual_award_reawards_a_revoked_one(learner, staff_user, designations):
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    api.revoke_award(award.uuid, acting_user=staff_user, reason="Mistake")
    result = api.manual_award(COURSE_ID, learner.username, acting_user=staff_user, reason="Appeal upheld")
    assert [a.uuid for a in result.created] == [award.uuid]
    again = AwardedCredit.objects.get(uuid=award.uuid)
    assert (again.status, again.source, again.reason, again.awarded_by, again.revoked_at) == (
        "awarded", "manual", "Appeal upheld", staff_user, None)


def test_nobody_awards_themselves_by_hand(learner, staff_user, designations):
    with pytest.raises(CreditsValidationError) as error:
        api.manual_award(COURSE_ID, staff_user.username, acting_user=staff_user, reason="Attended")
    assert "cannot award credits to yourself" in error.value.message
    assert error.value.field_errors == {"username": ["Choose a learner other than yourself."]}
    assert not AwardedCredit.objects.exists()
    created = api.manual_award(COURSE_ID, learner, acting_user=staff_user, reason="Attended").created
    assert created and {a.awarded_by for a in created} == {staff_user.username}


def test_manual_award_rules(learner, staff_user, designations):
    with pytest.raises(CreditsValidationError):
        api.manual_award(COURSE_ID, learner.username, acting_user=staff_user, reason="")
    with pytest.raises(CreditsNotFound):
        api.manual_award(COURSE_ID, "nobody", acting_user=staff_user, reason="r")
    with pytest.raises(CreditsValidationError) as error:
        api.manual_award(COURSE_ID, learner, acting_user=staff_user, reason="r", credit_ids=[999])
    assert "does not award" in error.value.message
    with pytest.raises(CreditsValidationError):
        api.manual_award("course-v1:X+Empty+1", learner, acting_user=staff_user, reason="r")
    assert AwardedCredit.objects.count() == 0
    result = api.manual_award(COURSE_ID, learner, acting_user=staff_user, reason="Attended live",
                              credit_ids=[designations[0].credit_id])
    assert [a.credit_name for a in result.created] == ["Ethics"]
    assert result.created[0].awarded_by == staff_user.username
    with pytest.raises(CreditsConflict):
        api.manual_award(COURSE_ID, learner, acting_user=staff_user, reason="again",
                         credit_ids=[designations[0].credit_id])


def test_get_award_by_public_id(learner, designations):
    award = api.award_course_credits(learner, COURSE_ID).created[0]
    assert api.get_award(str(award.uuid)).credit_name == award.credit_name
    for bad in ["not-a-uuid", "00000000-0000-0000-0000-000000000000", None, ""]:
        with pytest.raises(CreditsNotFound):
            api.get_award(bad)


def test_awarded_credit_keeps_credit_from_deletion(learner, designations):
    api.award_course_credits(learner, COURSE_ID)
    api.set_course_settings(COURSE_ID, enabled=True, credits=[])  # designations gone, awards stay
    assert AwardedCredit.objects.count() == 2
    with pytest.raises(Exception) as error:
        api.delete_credit(designations[0].credit_id)
    assert "Archive it instead" in str(error.value)


def test_award_to_an_unknown_user_id_is_not_found_and_writes_nothing(designations):
    with pytest.raises(CreditsNotFound):
        api.award_course_credits(987654, COURSE_ID)
    assert not AwardedCredit.objects.exists()


def test_the_task_path_awards_nothing_to_a_user_deleted_since_the_event(designations):
    """The receiver queued the award; the account is gone when the task runs: nothing to do, no failure."""
    api.set_course_settings(COURSE_ID, enabled=True,
                            credits=[{"credit": d.credit_id, "amount": "1"} for d in designations])
    assert api.award_on_trigger(987654, COURSE_ID, "passing").created == ()
    assert not AwardedCredit.objects.exists()
