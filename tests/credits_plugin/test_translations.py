"""
Names in several languages (ADR 0011): credit types, credits and units are entered in each of the
site's languages, awards keep them as earned, and every surface shows them in the reader's
language, falling back to the default language.
"""
import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import translation
from openedx_filters.learning.filters import CertificateRenderStarted
from rest_framework.test import APIClient

from credits_plugin import api
from credits_plugin.data import localized, snapshot_translations
from credits_plugin.exceptions import CreditsValidationError
from credits_plugin.filters.certificate import DESCRIPTION_KEY
from credits_plugin.models import AwardedCredit, AwardLogEntry
from credits_xblock.state import award_dict, designation_dict
from tests.credits_plugin.filters.test_certificate import certificate_context
from tests.factories import COURSE_ID, CourseAccessFactory, UserFactory, lapse_change_marks

pytestmark = pytest.mark.django_db

ETHIQUE = {"fr": {"name": "Éthique", "description": "Déontologie professionnelle"}}
ORDRE = {"fr": {"name": "Ordre des CPA", "unit": "heures de FPC", "description": "L'ordre"}}


@pytest.fixture
def bilingual(course_key):
    """A CPA type and an Ethics credit named in English and French, designated in the course."""
    cpa = api.create_credit_type(name="CPA Ontario", unit="CPD hours", translations=ORDRE)
    ethics = api.create_credit(credit_type_id=cpa.id, name="Ethics", translations=ETHIQUE)
    english_only = api.create_credit(credit_type_id=cpa.id, name="Tax")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[{"credit": ethics.id, "amount": "2.50"},
                                                               {"credit": english_only.id, "amount": "1.00"}])
    return {"type": cpa, "ethics": ethics, "tax": english_only}


# --- the lookup ---------------------------------------------------------------------------------

def test_a_name_is_shown_in_the_active_language_its_generic_one_or_the_default():
    translations = {"fr": {"name": "Éthique"}, "pt-br": {"name": "Ética"}}
    shown = {}
    for language in ("fr", "fr-ca", "pt-br", "pt", "de", "en"):
        with translation.override(language):
            shown[language] = localized(translations, "name", "Ethics")
    assert shown == {"fr": "Éthique", "fr-ca": "Éthique", "pt-br": "Ética", "pt": "Ethics", "de": "Ethics",
                     "en": "Ethics"}
    with translation.override(None):  # no language at all (a command, a task): the default language
        assert localized(translations, "name", "Ethics") == "Ethics"
    with translation.override("fr"):
        assert localized({"fr": {"name": ""}}, "name", "Ethics") == "Ethics"  # blank: the default shows
        assert localized({}, "name", "Ethics") == "Ethics"


def test_an_award_snapshot_is_the_same_text_whatever_order_the_translations_came_in():
    one = snapshot_translations({"fr": {"name": "É"}, "de": {"name": "E"}}, {"fr": {"name": "O", "unit": "h"}})
    two = snapshot_translations({"de": {"name": "E"}, "fr": {"name": "É"}}, {"fr": {"unit": "h", "name": "O"}})
    assert list(one) == ["de", "fr"] and list(one["fr"]) == ["credit_name", "credit_type_name", "unit"]
    assert one == two and str(one) == str(two)


# --- entering translations -----------------------------------------------------------------------

def test_translations_are_checked_like_the_names_and_a_bad_one_changes_nothing(bilingual):
    cases = [
        ({"de": {"name": "Ethik"}}, "translations.de"),  # not one of the site's languages (en, fr)
        ({"en": {"name": "Ethics"}}, "translations.en"),  # the default language is the name itself
        ({"fr": {"name": "x" * 256}}, "translations.fr.name"),
        ({"fr": {"name": "Éthique\x00"}}, "translations.fr.name"),
        ({"fr": {"colour": "bleu"}}, "translations.fr.colour"),
        ({"fr": "Éthique"}, "translations.fr"),
        (["fr", "Éthique"], "translations"),
    ]
    for value, field in cases:
        with pytest.raises(CreditsValidationError) as caught:
            api.update_credit(bilingual["ethics"].id, translations=value)
        assert field in caught.value.field_errors, (value, caught.value.field_errors)
    assert api.get_credit(bilingual["ethics"].id).translations == ETHIQUE
    with pytest.raises(CreditsValidationError) as caught:
        api.update_credit_type(bilingual["type"].id, translations={"fr": {"unit": "u" * 51}})
    assert "translations.fr.unit" in caught.value.field_errors


def test_blank_translations_are_dropped_and_codes_lowercased(bilingual):
    updated = api.update_credit(bilingual["ethics"].id, translations={"FR": {"name": "  Éthique  ",
                                                                             "description": " "}})
    assert updated.translations == {"fr": {"name": "Éthique"}}
    assert api.update_credit(bilingual["ethics"].id, translations={"fr": {"name": ""}}).translations == {}


def test_the_rest_api_edits_translations_and_shows_names_in_the_request_s_language(bilingual):
    staff = UserFactory(username="global_staff", is_staff=True)
    client = APIClient()
    client.force_authenticate(staff)
    url = f"/api/credits/v1/credit-types/{bilingual['type'].id}/"
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="fr").json()
    assert (body["name"], body["unit"], body["display_name"], body["display_unit"]) == (
        "CPA Ontario", "CPD hours", "Ordre des CPA", "heures de FPC")
    assert body["translations"] == ORDRE
    assert client.get(url, HTTP_ACCEPT_LANGUAGE="en").json()["display_name"] == "CPA Ontario"

    response = client.patch(url, {"translations": {"fr": {"name": "Ordre"}, "xx": {"name": "?"}}}, format="json")
    assert response.status_code == 400
    assert "translations.xx" in response.json()["field_errors"]
    assert api.get_credit_type(bilingual["type"].id).translations == ORDRE  # nothing changed

    response = client.post("/api/credits/v1/credits/", {
        "credit_type": bilingual["type"].id, "name": "Audit", "reference_number": "A-1",
        "translations": {"fr": {"name": "Vérification"}}}, format="json", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 201, response.json()
    assert (response.json()["name"], response.json()["display_name"]) == ("Audit", "Vérification")
    assert response.json()["credit_type"]["name"] == "Ordre des CPA"  # where it is shown: the reader's language


# --- awards keep what they were earned under ------------------------------------------------------

def test_an_award_keeps_its_names_in_every_language_as_earned(bilingual, learner):
    created = api.award_course_credits(learner, COURSE_ID).created
    ethics = next(a for a in created if a.credit_name == "Ethics")
    expected = {"fr": {"credit_name": "Éthique", "credit_type_name": "Ordre des CPA", "unit": "heures de FPC"}}
    assert ethics.translations == expected
    assert AwardedCredit.objects.get(uuid=ethics.uuid).translations == expected
    tax = AwardedCredit.objects.get(user=learner, credit_name="Tax")  # the type's names only
    assert tax.translations == {"fr": {"credit_type_name": "Ordre des CPA", "unit": "heures de FPC"}}

    api.update_credit(bilingual["ethics"].id, translations={"fr": {"name": "Éthique (2027)"}})
    with translation.override("fr"):
        [award] = [a for a in api.get_learner_course_awards(learner, COURSE_ID) if a.credit_name == "Ethics"]
        assert (award.display_credit_name, award.display_unit) == ("Éthique", "heures de FPC")
        assert award.credit_name == "Ethics"  # the record itself stays in the default language
    with translation.override("en"):
        assert award.display_credit_name == "Ethics"


def test_every_award_path_takes_the_snapshot(bilingual, learner, staff_user):
    """The award task's hand-written read, an award by hand and a backfill all copy the translations."""
    expected = {"fr": {"credit_name": "Éthique", "credit_type_name": "Ordre des CPA", "unit": "heures de FPC"}}
    api.manual_award(COURSE_ID, learner, acting_user=staff_user, reason="Attended in person")
    assert AwardedCredit.objects.get(user=learner, credit_name="Ethics").translations == expected
    other = UserFactory(username="backfilled")
    from tests.factories import CourseGradeFactory  # pylint: disable=import-outside-toplevel
    CourseGradeFactory(user=other, passed=True)
    api.backfill_course_credits(COURSE_ID)
    assert AwardedCredit.objects.get(user=other, credit_name="Ethics").translations == expected


def test_re_application_brings_a_new_translation_to_standing_awards_and_logs_the_old(bilingual, learner,
                                                                                     staff_user):
    api.award_course_credits(learner, COURSE_ID)
    assert api.reapply_course_credits(COURSE_ID, acting_user=staff_user, reason="No change") == 0
    api.update_credit(bilingual["tax"].id, translations={"fr": {"name": "Fiscalité"}})
    assert api.reapply_course_credits(COURSE_ID, acting_user=staff_user, reason="French names") == 1
    tax = AwardedCredit.objects.get(user=learner, credit_name="Tax")
    assert tax.translations["fr"]["credit_name"] == "Fiscalité"
    entry = AwardLogEntry.objects.get(award=tax, action=AwardLogEntry.REAPPLIED)
    assert entry.details["translations"] == {"fr": {"credit_type_name": "Ordre des CPA", "unit": "heures de FPC"}}
    assert api.reapply_course_credits(COURSE_ID, acting_user=staff_user, reason="Again") == 0


def test_a_credit_earned_elsewhere_keeps_its_type_s_names(bilingual, learner, staff_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    from django.core.files.uploadedfile import SimpleUploadedFile  # pylint: disable=import-outside-toplevel
    pdf = SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n",
                             content_type="application/pdf")
    submitted = api.submit_external_credit(learner, title="Ethics day", provider="CPA Canada",
                                           credit_type_id=bilingual["type"].id, amount="3", earned_on="2026-01-10",
                                           evidence=pdf)
    api.approve_external_credit(submitted.id, acting_user=staff_user)
    award = AwardedCredit.objects.get(user=learner, source="external")
    assert award.translations == {"fr": {"credit_type_name": "Ordre des CPA", "unit": "heures de FPC"}}
    with translation.override("fr"):
        [external] = api.list_own_external_credits(learner)
        assert (external.display_credit_type_name, external.display_unit) == ("Ordre des CPA", "heures de FPC")


# --- every surface, in the reader's language -------------------------------------------------------

def test_the_about_card_is_cached_once_and_read_in_each_language(bilingual, django_assert_num_queries):
    lapse_change_marks()  # the set-up's changes are committed and long past
    with translation.override("en"):
        english = api.course_card(COURSE_ID)
    with translation.override("fr"), django_assert_num_queries(0):
        french = api.course_card(COURSE_ID)
    names = [(i["credit_name"], i["credit_type_name"], i["unit"]) for i in french]
    assert ("Éthique", "Ordre des CPA", "heures de FPC") in names and ("Tax", "Ordre des CPA", "heures de FPC") in names
    assert ("Ethics", "CPA Ontario", "CPD hours") in [(i["credit_name"], i["credit_type_name"], i["unit"])
                                                      for i in english]
    assert all("translations" not in item for item in french)
    with translation.override("fr"):
        assert any(i["credit_name"] == "Éthique" for i in api.course_cards()[COURSE_ID])
    api.update_credit(bilingual["ethics"].id, translations={"fr": {"name": "Éthique pro"}})
    with translation.override("fr"):  # a change forgets the cached card: the new name shows at once
        assert "Éthique pro" in [i["credit_name"] for i in api.course_card(COURSE_ID)]


def test_the_certificate_lists_the_credits_in_the_learner_s_language(bilingual, learner):
    api.award_course_credits(learner, COURSE_ID)
    with translation.override("fr"):
        context, _template = CertificateRenderStarted.run_filter(certificate_context(learner), None)
    assert [item["credit_name"] for item in context["course_credits"]] == ["Éthique", "Tax"]
    assert "2,50 heures de FPC" in context[DESCRIPTION_KEY] and "Éthique (Ordre des CPA)" in context[DESCRIPTION_KEY]


def test_the_learner_s_page_csv_and_summary_api_follow_the_language(bilingual, learner):
    api.award_course_credits(learner, COURSE_ID)
    client = Client()
    client.force_login(learner)
    french = client.get("/credits/me/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Éthique" in french and "Ordre des CPA" in french and "heures de FPC" in french
    english = client.get("/credits/me/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Éthique" not in english and "Ethics" in english
    response = client.get("/credits/me/", {"format": "csv"}, HTTP_ACCEPT_LANGUAGE="fr")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert ["Éthique", "Ordre des CPA"] in [row[2:4] for row in rows]
    api_client = APIClient()
    api_client.force_authenticate(learner)
    summary = api_client.get(f"/api/credits/v1/learners/{learner.username}/summary/",
                             HTTP_ACCEPT_LANGUAGE="fr").json()
    assert summary["totals"] == [{"credit_type": "Ordre des CPA", "unit": "heures de FPC", "amount": "3.50"}]
    assert {t["credit_name"] for t in summary["credit_totals"]} == {"Éthique", "Tax"}
    assert {a["credit_name"] for a in summary["awards"]} == {"Éthique", "Tax"}


def test_the_xblock_and_the_verification_page_follow_the_language(bilingual, learner):
    api.award_course_credits(learner, COURSE_ID)
    award = next(a for a in api.get_learner_course_awards(learner, COURSE_ID) if a.credit_name == "Ethics")
    designation = next(d for d in api.list_course_credits(COURSE_ID) if d.credit.name == "Ethics")
    with translation.override("fr"):
        assert (award_dict(award)["name"], award_dict(award)["unit"]) == ("Éthique", "heures de FPC")
        assert (designation_dict(designation)["name"], designation_dict(designation)["credit_type"]) == (
            "Éthique", "Ordre des CPA")
    page = Client().get(f"/credits/awards/{award.uuid}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Éthique" in page and "heures de FPC" in page


def test_the_instructor_panel_and_the_course_report_csv_follow_the_language(bilingual, learner):
    api.award_course_credits(learner, COURSE_ID)
    staff = UserFactory(username="course_staff")
    CourseAccessFactory(user=staff)
    client = Client()
    client.force_login(staff)
    panel = client.get(f"/credits/instructor/{COURSE_ID}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Éthique" in panel and "Ordre des CPA" in panel
    api_client = APIClient()
    api_client.force_authenticate(staff)
    response = api_client.get(f"/api/credits/v1/courses/{COURSE_ID}/awards/", {"format": "csv"},
                              HTTP_ACCEPT_LANGUAGE="fr")
    with translation.override("en"):  # the rows are read later, in whatever language is active then
        text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {(r["credit_name"], r["credit_type_name"], r["unit"]) for r in rows} == {
        ("Éthique", "Ordre des CPA", "heures de FPC"), ("Tax", "Ordre des CPA", "heures de FPC")}
    json_rows = api_client.get(f"/api/credits/v1/courses/{COURSE_ID}/awards/", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert {r["credit_name"] for r in json_rows["results"]} == {"Éthique", "Tax"}


def test_events_keep_the_default_language(bilingual, learner, staff_user, django_capture_on_commit_callbacks):
    """Records other systems read are language-neutral: the default language's names."""
    from credits_plugin.signals import credit_awarded  # pylint: disable=import-outside-toplevel
    seen = []

    def receiver(sender, award, **kwargs):  # pylint: disable=unused-argument
        seen.append(award.credit_name)
    credit_awarded.connect(receiver)
    try:
        with translation.override("fr"), django_capture_on_commit_callbacks(execute=True):
            api.manual_award(COURSE_ID, learner, acting_user=staff_user, reason="In person")
    finally:
        credit_awarded.disconnect(receiver)
    assert sorted(seen) == ["Ethics", "Tax"]


def test_totals_are_named_in_the_reader_s_language_and_a_changed_unit_keeps_its_own(bilingual, learner):
    api.award_course_credits(learner, COURSE_ID)
    api.update_credit_type(bilingual["type"].id, unit="CPE hours")  # the awards keep "CPD hours"
    with translation.override("fr"):
        summary = api.get_learner_summary(learner)
        [total] = summary.totals
        assert (total.display_credit_type, total.display_unit, total.amount) == (
            "Ordre des CPA", "CPD hours", Decimal("3.50"))


def test_a_requirement_s_progress_is_counted_in_the_unit_s_name_of_the_reader(bilingual, learner):
    api.award_course_credits(learner, COURSE_ID)
    requirement = api.create_requirement(name="Annual CPD", amount="20", credit_types=[bilingual["type"].id],
                                         applies_to_all=True)
    with translation.override("fr"):
        [progress] = api.get_learner_requirements(learner)
        assert (progress.id, progress.display_unit, progress.unit) == (requirement.id, "heures de FPC", "CPD hours")
    page = _signed_in(learner).get("/credits/me/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "3,50 sur 20,00 heures de FPC" in page


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client
