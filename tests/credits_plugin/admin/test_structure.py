"""The admin's changelists, credit types and credits, and deleting them."""

import pytest
from opaque_keys.edx.keys import CourseKey

from credits_plugin import api
from credits_plugin.models import AwardedCredit, Credit, CreditType
from tests.credits_plugin.admin.helpers import (
    ADMIN,
    OTHER_COURSE,
    counts,
    existing_row,
    messages_of,
    text,
    type_post,
)
from tests.factories import COURSE_ID, StandaloneCourseFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- changelists, search, filters -----------------------------------------------------------

@pytest.mark.parametrize("model, expected", [
    ("credittype", "CPA Ontario"), ("credit", "CPAO-2"), ("coursecreditsettings", COURSE_ID),
    ("coursecredit", "1.25"), ("awardedcredit", "ada"),
])
def test_changelists_render(admin_client, awarded, model, expected):
    response = admin_client.get(f"{ADMIN}/{model}/")
    assert response.status_code == 200
    assert expected in text(response)


@pytest.mark.parametrize("model, params, expected", [
    ("credittype", {"q": "cpa"}, {"CPA Ontario"}),
    ("credittype", {"is_active__exact": "0"}, {"Management"}),
    ("credit", {"credit_type__id__exact": "@cpa"}, {"Ethics", "Tax"}),
    ("credit", {"is_active__exact": "0"}, {"Tax", "Leading"}),
    ("credit", {"q": "cpao-2"}, {"Tax"}),
])
def test_structure_search_and_filters(admin_client, structure, model, params, expected):
    api.archive_credit_type(structure["management"].pk)
    api.archive_credit(structure["tax"].pk)
    api.archive_credit(structure["leading"].pk)
    params = {key: structure[value[1:]].pk if value.startswith("@") else value for key, value in params.items()}
    response = admin_client.get(f"{ADMIN}/{model}/", params)
    assert {row.name for row in response.context["cl"].result_list} == expected


def test_award_search_and_filters(admin_client, awarded, admin_user):
    StandaloneCourseFactory(course_key=CourseKey.from_string(OTHER_COURSE), display_name="Other")
    leading = Credit.objects.get(name="Leading")
    api.set_course_settings(OTHER_COURSE, enabled=True, credits=[{"credit": leading.pk, "amount": "4.00"}])
    grace = UserFactory(username="grace")
    api.award_course_credits(grace, OTHER_COURSE)
    url = f"{ADMIN}/awardedcredit/"

    def shown(**params):
        response = admin_client.get(url, params)
        assert response.status_code == 200
        return {(award.user.username, str(award.course_key), award.credit_name)
                for award in response.context["cl"].result_list}

    assert shown(q="grace") == {("grace", OTHER_COURSE, "Leading")}
    assert shown(q="TestX+Other") == {("grace", OTHER_COURSE, "Leading")}
    cpa = CreditType.objects.get(name="CPA Ontario")
    assert shown(credit__credit_type__id__exact=cpa.pk) == {("ada", COURSE_ID, "Ethics")}
    ethics_award = AwardedCredit.objects.get(credit_name="Ethics")
    api.revoke_award(ethics_award.uuid, acting_user=admin_user, reason="Granted by mistake")
    assert shown(status="revoked") == {("ada", COURSE_ID, "Ethics")}
    assert shown(source="passing") == shown() and len(shown()) == 3
    assert shown(source="manual") == set()


def test_designation_list_filters_by_course(admin_client, awarded):
    page = text(admin_client.get(f"{ADMIN}/coursecredit/", {"course_id": COURSE_ID}))
    assert "Ethics" in page and "Leading" in page
    response = admin_client.get(f"{ADMIN}/coursecredit/", {"course_id": "not a course"})
    assert response.status_code == 200 and list(response.context["cl"].result_list) == []


# --- credit types and credits ---------------------------------------------------------------

def test_type_with_an_inline_credit_saves_and_records_who(admin_client, admin_user):
    response = admin_client.post(f"{ADMIN}/credittype/add/", type_post(
        name="  CPA Quebec ", unit="CPD hours", requires=True,
        new=[{"name": "Ethics", "reference_number": "Q-1", "description": "Ethics for CPAs"}]))
    assert response.status_code == 302, text(response)
    credit_type = CreditType.objects.get(name="CPA Quebec")  # cleaned by the API
    assert credit_type.requires_reference_number
    credit = credit_type.credits.get()
    assert (credit.name, credit.reference_number, credit.description) == ("Ethics", "Q-1", "Ethics for CPAs")
    assert credit_type.history.latest().history_user == admin_user
    assert credit.history.latest().history_user == admin_user
    history = admin_client.get(f"{ADMIN}/credittype/{credit_type.pk}/history/")
    assert history.status_code == 200 and admin_user.username in text(history)


def test_inline_credit_without_reference_number_is_refused(admin_client):
    before = counts()
    response = admin_client.post(f"{ADMIN}/credittype/add/", type_post(
        name="CPA Quebec", requires=True, new=[{"name": "Ethics", "reference_number": "  "}]))
    assert response.status_code == 200
    assert "Credits of type 'CPA Quebec' need a reference number." in text(response)
    assert counts() == before


@pytest.mark.parametrize("credit_type, name, reference_number, message", [
    ("cpa", "Audit", " ", "Credits of type 'CPA Ontario' need a reference number."),
    ("cpa", "ETHICS", "X", "'CPA Ontario' already has a credit named 'ETHICS'."),
    ("management", "Coaching", "", "The credit type 'Management' is archived."),
    ("management", "", "", "Name is required."),
])
def test_credit_rules(admin_client, structure, credit_type, name, reference_number, message):
    api.archive_credit_type(structure["management"].pk)
    before = counts()
    response = admin_client.post(f"{ADMIN}/credit/add/", {
        "credit_type": structure[credit_type].pk, "name": name, "reference_number": reference_number,
        "is_active": "on"})
    assert response.status_code == 200
    assert message in text(response)
    assert counts() == before


@pytest.mark.parametrize("url, data, message", [
    ("credittype/add/", type_post(name="management"), "A credit type named 'management' already exists."),
    ("credittype/add/", type_post(name="Management"), "A credit type named 'Management' already exists."),
    ("credittype/add/", type_post(name="   "), "Name is required."),
    ("credittype/add/", type_post(name="n" * 256), "Use at most 255 characters (this has 256)."),
    ("credittype/add/", type_post(name="Ok", unit=""), "Unit is required."),
])
def test_type_names_are_unique_and_required(admin_client, structure, url, data, message):
    before = counts()
    response = admin_client.post(f"{ADMIN}/{url}", data)
    assert response.status_code == 200
    assert message in text(response)
    assert counts() == before


def test_inline_credit_names_are_unique_within_a_type(admin_client, structure):
    before = counts()
    response = admin_client.post(f"{ADMIN}/credittype/{structure['management'].pk}/change/", type_post(
        name="Management", existing=[existing_row(structure["leading"])], new=[{"name": "leading"}]))
    assert "'Management' already has a credit named 'leading'." in text(response)
    assert counts() == before


def test_type_requiring_numbers_is_refused_while_a_credit_has_none(admin_client, structure):
    management, leading = structure["management"], structure["leading"]
    url = f"{ADMIN}/credittype/{management.pk}/change/"
    response = admin_client.post(url, type_post(name="Management", requires=True,
                                                existing=[existing_row(leading)]))
    assert "Give these credits a reference number first: Leading." in text(response)
    management.refresh_from_db()
    assert not management.requires_reference_number
    # Giving the credit its number on the same page lets the type require numbers.
    response = admin_client.post(url, type_post(name="Management", requires=True,
                                                existing=[existing_row(leading, reference_number="M-1")]))
    assert response.status_code == 302, text(response)
    management.refresh_from_db()
    leading.refresh_from_db()
    assert management.requires_reference_number and leading.reference_number == "M-1"


def test_one_per_course_cannot_be_switched_on_over_courses_with_several(admin_client, structure):
    management = structure["management"]
    coaching = api.create_credit(credit_type_id=management.pk, name="Coaching")
    api.set_course_settings(COURSE_ID, enabled=True, credits=[
        {"credit": structure["leading"].pk, "amount": "1"}, {"credit": coaching.id, "amount": "1"}])
    response = admin_client.post(f"{ADMIN}/credittype/{management.pk}/change/", type_post(
        name="Management", multiple=False,
        existing=[existing_row(Credit.objects.get(pk=coaching.id)), existing_row(structure["leading"])]))
    assert f"These courses already carry several credits of this type: {COURSE_ID}." in text(response)
    management.refresh_from_db()
    assert management.allow_multiple_per_course


def test_credit_edit_goes_through_the_api(admin_client, structure, admin_user):
    ethics = structure["ethics"]
    url = f"{ADMIN}/credit/{ethics.pk}/change/"
    data = {"credit_type": ethics.credit_type_id, "name": "Ethics", "reference_number": "", "is_active": "on"}
    response = admin_client.post(url, data)
    assert "Credits of type 'CPA Ontario' need a reference number." in text(response)
    ethics.refresh_from_db()
    assert ethics.reference_number == "CPAO-1"
    response = admin_client.post(url, {**data, "name": "Professional ethics", "reference_number": "CPAO-9"})
    assert response.status_code == 302
    ethics.refresh_from_db()
    assert (ethics.name, ethics.reference_number) == ("Professional ethics", "CPAO-9")
    assert ethics.history.latest().history_user == admin_user


def test_reverting_history_is_refused(admin_client, structure):
    management = structure["management"]
    api.update_credit_type(management.pk, unit="CEU")
    version = management.history.earliest()
    url = f"{ADMIN}/credittype/{management.pk}/history/{version.history_id}/"
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"name": "Management", "unit": "hours"}).status_code == 403
    management.refresh_from_db()
    assert management.unit == "CEU"



@pytest.mark.parametrize("model, key, message", [
    ("credittype", "cpa", "The credit type 'CPA Ontario' has credits that courses award or learners have earned, "
                          "so it cannot be deleted. Archive it instead"),
    ("credit", "ethics", "The credit 'Ethics' is awarded by courses or has been earned by learners, so it cannot "
                         "be deleted. Archive it instead"),
])
def test_deleting_what_is_in_use_is_refused(admin_client, awarded, structure, model, key, message):
    obj = structure[key]
    before = counts()
    url = f"{ADMIN}/{model}/{obj.pk}/delete/"
    for response in (admin_client.get(url, follow=True), admin_client.post(url, {"post": "yes"}, follow=True)):
        assert response.redirect_chain[-1][0] == f"{ADMIN}/{model}/{obj.pk}/change/"
        assert any(m.startswith(message) for m in messages_of(response)), messages_of(response)
        assert message in text(response)
    # the bulk action, both its first step and its confirmation
    for extra in ({}, {"post": "yes"}):
        response = admin_client.post(f"{ADMIN}/{model}/", {
            "action": "delete_selected", "_selected_action": [obj.pk], "index": "0", **extra}, follow=True)
        assert message in text(response)
    assert counts() == before


def test_deleting_an_inline_credit_in_use_is_refused(admin_client, awarded, structure):
    cpa, ethics, tax = structure["cpa"], structure["ethics"], structure["tax"]
    before = counts()
    response = admin_client.post(f"{ADMIN}/credittype/{cpa.pk}/change/", type_post(
        name="CPA Ontario", requires=True, multiple=False,
        existing=[existing_row(ethics, DELETE=True), existing_row(tax)]))
    assert response.status_code == 200
    assert "The credit 'Ethics' is awarded by courses or has been earned by learners" in text(response)
    assert counts() == before


def test_unused_type_is_deleted_with_its_credits(admin_client, structure):
    management = structure["management"]
    page = text(admin_client.get(f"{ADMIN}/credittype/{management.pk}/delete/"))
    assert "Leading" in page  # the confirmation lists the credits that go with it
    response = admin_client.post(f"{ADMIN}/credittype/{management.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not CreditType.objects.filter(pk=management.pk).exists()
    assert not Credit.objects.filter(name="Leading").exists()


def test_unused_credit_is_deleted_by_the_bulk_action(admin_client, structure):
    tax = structure["tax"]
    response = admin_client.post(f"{ADMIN}/credit/", {
        "action": "delete_selected", "_selected_action": [tax.pk], "index": "0", "post": "yes"})
    assert response.status_code == 302
    assert not Credit.objects.filter(pk=tax.pk).exists()


# --- names in other languages (ADR 0011) --------------------------------------------------------

def test_a_type_s_names_are_entered_in_each_other_language_of_the_site(admin_client, structure, admin_user):
    cpa = structure["cpa"]
    url = f"{ADMIN}/credittype/{cpa.pk}/change/"
    page = text(admin_client.get(url))
    assert "In other languages" in page
    assert all(label in page for label in ("Name (Français)", "Description (Français)", "Unit (Français)"))
    existing = [existing_row(credit) for credit in cpa.credits.order_by("pk")]
    data = type_post(name="CPA Ontario", unit="CPD hours", requires=True, multiple=False, existing=existing)
    data.update({"requires_approval": "", "tr_fr_name": "Ordre des CPA", "tr_fr_unit": "heures de FPC"})
    response = admin_client.post(url, data)
    assert response.status_code == 302, text(response)
    cpa.refresh_from_db()
    assert cpa.translations == {"fr": {"name": "Ordre des CPA", "unit": "heures de FPC"}}
    assert cpa.history.latest().translations == cpa.translations and cpa.history.latest().history_user == admin_user
    assert 'value="Ordre des CPA"' in admin_client.get(url).content.decode()  # shown again as saved

    response = admin_client.post(url, {**data, "tr_fr_name": "x" * 256})
    assert response.status_code == 200
    assert "Use at most 255 characters (this has 256)." in text(response)
    cpa.refresh_from_db()
    assert cpa.translations["fr"]["name"] == "Ordre des CPA"  # nothing changed


def test_a_credit_s_name_in_another_language_and_the_languages_offered(admin_client, structure, settings):
    ethics = structure["ethics"]
    url = f"{ADMIN}/credit/{ethics.pk}/change/"
    data = {"credit_type": ethics.credit_type_id, "name": "Ethics", "reference_number": "CPAO-1", "is_active": "on",
            "tr_fr_name": "Éthique", "tr_fr_description": ""}
    assert admin_client.post(url, data).status_code == 302
    ethics.refresh_from_db()
    assert ethics.translations == {"fr": {"name": "Éthique"}}
    settings.CREDITS_TRANSLATION_LANGUAGES = []
    settings.LANGUAGES = [("en", "English"), ("fr", "French"), ("de", "German")]
    assert "Name (German)" in text(admin_client.get(url))
    settings.CREDITS_TRANSLATION_LANGUAGES = ["de"]  # the operator names the languages the admin offers
    page = text(admin_client.get(url))
    assert "Name (German)" in page and "Name (Français)" not in page
    response = admin_client.post(url, {key: value for key, value in data.items() if not key.startswith("tr_fr")}
                                 | {"tr_de_name": "Ethik"})
    assert response.status_code == 302
    ethics.refresh_from_db()  # French, no longer offered, keeps what it had
    assert ethics.translations == {"de": {"name": "Ethik"}, "fr": {"name": "Éthique"}}


def test_a_site_of_many_languages_asks_for_the_ones_translated_into(admin_client, structure, settings):
    settings.CREDITS_TRANSLATION_LANGUAGES = []
    settings.LANGUAGES = [("en", "English"), *[(f"l{i}", f"Language {i}") for i in range(14)]]
    url = f"{ADMIN}/credit/{structure['ethics'].pk}/change/"
    page = text(admin_client.get(url))
    assert "This site lists 14 other languages." in page and "Name (Language" not in page
    settings.CREDITS_TRANSLATION_LANGUAGES = ["l3"]
    assert "Name (Language 3)" in text(admin_client.get(url))
    with pytest.raises(api.CreditsValidationError) as caught:  # the message stays short
        api.update_credit(structure["ethics"].pk, translations={"xx": {"name": "?"}})
    assert caught.value.field_errors["translations.xx"] == [
        "'xx' is not one of the site's other languages (l3, l0, l1, l2, l4, l5, l6, l7, l8, l9, l10, l11, …)."]
