"""
The French catalogs: complete, consistent with the code, shipped, and used by every surface.

Two catalogs (see docs/i18n.md): the plugin's Django catalog ``credits_plugin/locale`` and the
XBlock's bundled catalog ``credits_xblock/translations`` (domain ``text``), where the platform's
XBlockI18nService looks for it.
"""
import ast
import collections
import gettext
import html
import importlib.resources
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from credits_plugin import api
from credits_xblock.block import CourseCreditsXBlock
from tests.credits_xblock.runtime import PlatformUserService, make_block
from tests.factories import (
    COURSE_ID,
    CourseAccessFactory,
    CourseCreditFactory,
    CourseCreditSettingsFactory,
    CreditFactory,
    CreditTypeFactory,
    UserFactory,
)

REPO = Path(__file__).resolve().parent.parent
DJANGO_PO = REPO / "credits_plugin" / "locale" / "fr" / "LC_MESSAGES" / "django.po"
XBLOCK_PO = REPO / "credits_xblock" / "translations" / "fr" / "LC_MESSAGES" / "text.po"
CATALOGS = [DJANGO_PO, XBLOCK_PO]
XBLOCK_SOURCES = ("credits_xblock/", "templates/credits_xblock/")
NOT_SCANNED = ("demo/", "tests/", "bench/", "frontend/", "tutor/")
# %(name)s, %s, %d; {name}; and HTML tags: each must come back unchanged in the translation.
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}|</?[a-z]+(?:\s[^>]*)?>")
# Words French writes the same way; any other msgstr equal to its msgid was left in English.
SAME_IN_FRENCH = {"Total", "Type", "Page", "Studio", "description", "Description", "action"}


# A tiny .po reader: enough for the catalogs this project writes.

Entry = collections.namedtuple("Entry", "msgid msgid_plural msgstrs flags references context", defaults=(None,))


def read_po(path):
    """The entries of a .po/.pot file, the header (empty msgid) and obsolete entries left out."""
    entries = []
    for block in re.split(r"\n\s*\n", Path(path).read_text(encoding="utf-8")):
        fields, flags, references, key = {}, set(), [], None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags.update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#:"):
                references.extend(ref.rsplit(":", 1)[0] for ref in line[2:].split())
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            elif line.strip():
                key, value = line.split(" ", 1)
                fields[key] = ast.literal_eval(value)
        if fields.get("msgid"):
            msgstrs = [fields[key] for key in sorted(fields) if key.startswith("msgstr")]
            entries.append(Entry(fields["msgid"], fields.get("msgid_plural"), msgstrs, flags, references,
                                 fields.get("msgctxt")))
    return entries


def placeholders(text):
    return collections.Counter(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Every string in the code now, extracted by scripts/i18n.py as translators would."""
    missing = [tool for tool in ("xgettext", "msgcat") if shutil.which(tool) is None]
    if missing:
        pytest.skip("GNU gettext's %s is not installed (apt-get install gettext): cannot extract the strings"
                    % ", ".join(missing))
    pot = tmp_path_factory.mktemp("i18n") / "django.pot"
    subprocess.run([sys.executable, str(REPO / "scripts" / "i18n.py"), "extract", "--pot", str(pot)],
                   check=True, capture_output=True, cwd=REPO)
    return read_po(pot)


# The catalogs themselves

@pytest.mark.parametrize("po", CATALOGS, ids=["django", "xblock"])
def test_every_entry_is_translated_and_none_is_fuzzy(po):
    entries = read_po(po)
    assert len(entries) > 20 if po == XBLOCK_PO else len(entries) > 200
    assert [entry.msgid for entry in entries if "fuzzy" in entry.flags] == []
    assert [entry.msgid for entry in entries if not all(s.strip() for s in entry.msgstrs)] == []


@pytest.mark.parametrize("po", CATALOGS, ids=["django", "xblock"])
def test_placeholders_and_markup_are_kept_in_the_translation(po):
    wrong = []
    for entry in read_po(po):
        for index, msgstr in enumerate(entry.msgstrs):
            source = entry.msgid_plural if index and entry.msgid_plural else entry.msgid
            if placeholders(msgstr) != placeholders(source):
                wrong.append((source, msgstr))
            words = PLACEHOLDER.sub("", source)
            if msgstr == source and re.search(r"[a-z]{4}", words) and source not in SAME_IN_FRENCH:
                wrong.append((source, "left in English"))
    assert wrong == []


# Placeholders that hold a name (of a credit, a course, a person, a type): French elides "de" before
# a vowel ("d'Ethics"), so no translation may put "de", "du" or "le" right before one of them.
NAMES = "credit|course|username|name|credit_type|type"
NAME_PLACEHOLDER = rf"(?:\{{(?:{NAMES})\}}|%\((?:{NAMES})\)s)"


@pytest.mark.parametrize("po", CATALOGS, ids=["django", "xblock"])
def test_no_article_or_preposition_runs_into_a_name(po):
    pattern = re.compile(r"\b(?:de|du|le|la) " + NAME_PLACEHOLDER, re.IGNORECASE)
    assert [msgstr for entry in read_po(po) for msgstr in entry.msgstrs if pattern.search(msgstr)] == []


@pytest.mark.parametrize("po", CATALOGS, ids=["django", "xblock"])
def test_the_shipped_mo_is_compiled_from_the_po(po):
    with open(po.with_suffix(".mo"), "rb") as compiled:
        catalog = gettext.GNUTranslations(compiled)
    assert catalog.info()["plural-forms"] == "nplurals=2; plural=(n > 1);"
    for entry in read_po(po):
        if entry.msgid_plural:
            assert [catalog.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)] == entry.msgstrs
        elif entry.context:
            assert catalog.pgettext(entry.context, entry.msgid) == entry.msgstrs[0], "recompile: scripts/i18n.py"
        else:
            assert catalog.gettext(entry.msgid) == entry.msgstrs[0], "recompile: python scripts/i18n.py compile"


def test_the_xblock_catalog_is_the_xblock_part_of_the_django_catalog():
    django = {entry.msgid: entry.msgstrs for entry in read_po(DJANGO_PO)}
    xblock = read_po(XBLOCK_PO)
    assert all(any(ref.startswith(XBLOCK_SOURCES) for ref in entry.references) for entry in xblock)
    assert {entry.msgid: entry.msgstrs for entry in xblock}.items() <= django.items()


def test_every_string_in_the_code_is_in_the_catalogs(extracted):
    scanned = {ref.split("/", 1)[0] + "/" for entry in extracted for ref in entry.references}
    assert {"credits_plugin/", "credits_xblock/", "templates/"} <= scanned
    assert not scanned & set(NOT_SCANNED)
    assert {entry.msgid for entry in extracted} - {entry.msgid for entry in read_po(DJANGO_PO)} == set(), (
        "run: python scripts/i18n.py all, then translate the new entries")
    of_the_xblock = {entry.msgid for entry in extracted if any(r.startswith(XBLOCK_SOURCES) for r in entry.references)}
    assert "Course credits" in of_the_xblock and "This course awards:" in of_the_xblock
    assert of_the_xblock - {entry.msgid for entry in read_po(XBLOCK_PO)} == set()


def test_the_platform_finds_the_xblock_catalog_where_it_looks():
    """XBlockI18nService: ``<root module of the block>/translations/<locale>/LC_MESSAGES/text.mo``."""
    root_module = CourseCreditsXBlock.__module__.split(".")[0]
    folder = importlib.resources.files(root_module) / "translations"
    for language in ("fr", "fr-ca"):  # to_locale("fr-ca") is fr_CA, which falls back to fr
        catalog = gettext.translation("text", str(folder), [translation.to_locale(language)])
        assert catalog.gettext("Course credits") == "Crédits du cours"


def test_setup_ships_both_catalogs():
    """setup.py's package_data must match the compiled catalogs, or the wheel ships English only."""
    source = (REPO / "setup.py").read_text(encoding="utf-8")
    package_data = ast.literal_eval(re.search(r"package_data=(\{.*?\n    \})", source, re.S).group(1))
    for po in CATALOGS:
        package = po.relative_to(REPO).parts[0]
        shipped = {path for pattern in package_data.get(package, []) for path in (REPO / package).glob(pattern)}
        assert po.with_suffix(".mo") in shipped, f"add the catalog of {package} to package_data in setup.py"


# The surfaces, in French

def french_page(client, url, status=200):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == status
    assert response["Content-Language"] == "fr"
    return html.unescape(response.content.decode())


@pytest.mark.django_db
def test_the_learner_summary_in_french(client, course_key, learner):
    cpa = CreditTypeFactory(name="CPA Ontario", unit="CPD hours", requires_reference_number=True)
    CourseCreditFactory(credit=CreditFactory(credit_type=cpa, name="Ethics", reference_number="CPA-77"))
    CourseCreditSettingsFactory()
    api.award_course_credits(learner, COURSE_ID)
    client.force_login(learner)
    page = french_page(client, "/credits/me/")
    for text in ("<title>Vos crédits | ", "Totaux", "Toutes les attributions", "Page de vérification",
                 "Télécharger au format CSV", "Afficher les crédits obtenus entre deux dates", "Attribué",
                 "Ethics", "CPA Ontario", "CPA-77"):
        assert text in page
    assert "Every award" not in page and "Verification page" not in page
    errors = french_page(client, "/credits/me/?from=2026-02-01&to=2026-01-01", status=400)
    assert "Ces dates ne peuvent pas être utilisées" in errors
    assert "La date de début est postérieure à la date de fin." in errors


@pytest.mark.django_db
def test_the_studio_page_in_french_with_its_errors(client, course_key):
    author = UserFactory(username="author")
    CourseAccessFactory(user=author)
    credit = CreditFactory(credit_type=CreditTypeFactory(name="Management", unit="hours"), name="Leading")
    client.force_login(author)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"  # the language a Studio user picked
    response = client.get(f"/credits/studio/{COURSE_ID}/")
    page = html.unescape(response.content.decode())
    for text in ("Crédits – Credits 101", "Ce cours attribue des crédits", "Les apprenants les obtiennent",
                 "Lorsque l'apprenant réussit le cours", "Choisir les crédits et les montants", "Enregistrer",
                 "Leading"):
        assert text in page
    assert "Learners earn them" not in page
    response = client.post(f"/credits/studio/{COURSE_ID}/", {
        "enabled": "on", "award_trigger": "passing", "action": "save", "credit": [str(credit.pk)],
        f"amount_{credit.pk}": "", f"reference_{credit.pk}": "",
    })
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert "Rien n'a été enregistré : veuillez corriger les erreurs ci-dessous." in page
    assert f'id="amount-{credit.pk}-error">Saisissez un montant.' in page


@pytest.mark.django_db
def test_the_xblock_in_french_through_its_own_catalog(course_key, learner):
    CourseCreditSettingsFactory()
    CourseCreditFactory(credit=CreditFactory(name="Ethics", reference_number="CPA-77"))
    folder = importlib.resources.files("credits_xblock") / "translations"
    with translation.override("fr"):
        service = gettext.translation("text", str(folder), ["fr"])  # as XBlockI18nService builds it
        before = html.unescape(make_block(i18n=service, user_service=PlatformUserService(learner))
                               .student_view().content)
        api.award_course_credits(learner, COURSE_ID)
        after = html.unescape(make_block(i18n=service, user_service=PlatformUserService(learner))
                              .student_view().content)
        editor = html.unescape(make_block(i18n=service).studio_view().content)
    # Python strings reach the page only through the runtime's i18n service, i.e. the XBlock catalog.
    assert ">Crédits du cours</h3>" in before
    assert "Vous obtenez ces crédits en réussissant ce cours." in before
    for text in ("Ce cours attribue :", "Vos crédits", "Numéro de référence : CPA-77", "Pas encore obtenu",
                 "Vérifier de nouveau le statut de mes crédits", "Vérification du statut de vos crédits…"):
        assert text in before
    assert "Vous avez obtenu ces crédits dans ce cours :" in after and "obtenu le <time datetime=" in after
    for text in ("Titre", "Afficher le statut de l'apprenant", "Enregistrer", "Annuler"):
        assert text in editor
    assert "This course awards" not in before + after and "Your credits" not in before + after
