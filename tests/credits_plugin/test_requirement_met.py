"""An award that makes a learner meet a requirement for its period says so: Django and openedx-events signals."""
import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from credits_plugin import api, signals
from credits_plugin.models import AwardedCredit
from tests.credits_plugin.test_signals import Recorder
from tests.factories import COURSE_ID, CourseCreditFactory, CreditFactory, CreditTypeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    signals.COURSE_CREDIT_REQUIREMENT_MET.enable()
    django_side, bus_side = Recorder(), Recorder()
    signals.requirement_met.connect(django_side)
    signals.COURSE_CREDIT_REQUIREMENT_MET.connect(bus_side)
    yield django_side, bus_side
    signals.requirement_met.disconnect(django_side)
    signals.COURSE_CREDIT_REQUIREMENT_MET.disconnect(bus_side)


@pytest.fixture
def setup(course_key):
    cpd = CreditTypeFactory(name="CPA Ontario", unit="CPD hours")
    ethics = CreditFactory(credit_type=cpd, name="Ethics")
    CourseCreditFactory(credit=ethics, amount=Decimal("6.00"))
    whole = api.create_requirement(name="Annual CPD", amount="10", credit_types=[cpd.pk])
    api.create_requirement(name="Other body", amount="1", credit_types=[CreditTypeFactory(unit="CEU").pk])
    return {"type": cpd, "ethics": ethics, "requirement": whole}


def earlier_award(learner, credit, amount):
    return AwardedCredit.objects.create(
        user=learner, course_key="course-v1:Org+Earlier+Run", credit=credit, amount=amount, credit_name=credit.name,
        credit_type_name=credit.credit_type.name, unit=credit.credit_type.unit, source="passing",
        awarded_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5))


def test_the_award_that_crosses_the_line_says_so_once(setup, heard, django_capture_on_commit_callbacks):
    learner = UserFactory()
    django_side, bus_side = heard
    earlier_award(learner, setup["ethics"], "5.00")  # 5 of 10
    with django_capture_on_commit_callbacks(execute=True):
        api.award_course_credits(learner, COURSE_ID)  # + 6: met
    (call,) = django_side.calls
    assert (call["user_id"], call["requirement"].name, call["requirement"].counted) == (
        learner.pk, "Annual CPD", Decimal("11.00"))
    (event,) = bus_side.calls
    data = event["requirement_met"]
    assert (data.user_id, data.requirement_id, data.required, data.counted, data.unit) == (
        learner.pk, setup["requirement"].id, "10.00", "11.00", "CPD hours")
    assert data.period_start.endswith("-01-01") and data.period_end.endswith("-12-31")
    assert event["metadata"].event_type == "org.openedx.learning.course_credit.requirement.met.v1"
    with django_capture_on_commit_callbacks(execute=True):  # already met: nothing new to say
        api.award_course_credits(learner, "course-v1:Org+Other+Run")
    assert len(django_side.calls) == 1


def test_an_award_short_of_the_line_says_nothing(setup, heard, django_capture_on_commit_callbacks):
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        api.award_course_credits(learner, COURSE_ID)  # 6 of 10
    assert heard[0].calls == [] and heard[1].calls == []


def test_an_approved_credit_earned_elsewhere_can_cross_it(setup, heard, django_capture_on_commit_callbacks,
                                                          settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    learner = UserFactory()
    earlier_award(learner, setup["ethics"], "8.00")
    sent = api.submit_external_credit(learner, title="Forum", provider="Institute", credit_type_id=setup["type"].pk,
                                      amount="2", earned_on=datetime.date.today(),
                                      evidence=SimpleUploadedFile("a.pdf", b"%PDF-1.5\n%%EOF\n"))
    with django_capture_on_commit_callbacks(execute=True):
        api.approve_external_credit(sent.id, acting_user=UserFactory(is_staff=True))
    (call,) = heard[0].calls
    assert call["requirement"].name == "Annual CPD"


def test_a_failure_while_checking_never_undoes_the_award(setup, heard, monkeypatch, caplog,
                                                         django_capture_on_commit_callbacks):
    from credits_plugin.services import requirements  # pylint: disable=import-outside-toplevel

    def broken(*args):
        raise RuntimeError("requirements unreadable")

    monkeypatch.setattr(requirements, "requirements_met_by", broken)
    learner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        result = api.award_course_credits(learner, COURSE_ID)
    assert len(result.created) == 1 and AwardedCredit.objects.filter(user=learner).count() == 1
    assert "Could not send requirement_met" in caplog.text


def test_no_requirement_costs_one_query(course_key, django_assert_num_queries):
    from credits_plugin.services.requirements import requirements_met_by  # pylint: disable=import-outside-toplevel

    learner = UserFactory()
    with django_assert_num_queries(1):
        assert requirements_met_by(learner.pk, ["x"]) == []
