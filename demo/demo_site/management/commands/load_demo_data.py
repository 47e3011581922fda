"""
Load the demo's sample data: ``python demo/manage.py load_demo_data`` (run by ``make demo``).

Idempotent: it creates what is missing and leaves what exists alone, so a
second run writes nothing and an operator's changes made in the demo survive.
The plugin's own data (credit types, credits, course settings, awards) goes
through ``credits_plugin.api``, so the same rules apply as everywhere else;
courses, course roles and grades go to the standalone platform tables, which
play openedx-platform.
"""
import datetime
from pathlib import Path

from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from opaque_keys.edx.keys import CourseKey

from credits_plugin import api
from credits_plugin.constants import AwardTrigger
from credits_plugin.models import CourseCreditSettings
from credits_plugin.platform.standalone.models import StandaloneCourse, StandaloneCourseAccess, StandaloneCourseGrade
from demo.demo_site import sample_data

DEMO_KEY_ID = "demo-key"
AWARD_SOURCE_BY_TRIGGER = {"passing": "passing", "certificate": "certificate"}


class Command(BaseCommand):
    help = "Load the demo's sample users, credit structure, courses, grades and awards (safe to run again)."

    def handle(self, *args, **options):
        try:
            with transaction.atomic():
                created = DemoDataLoader().load()
        except api.CreditsError as exc:
            raise CommandError(_("The sample data could not be loaded: {message}").format(message=exc.message))
        self.stdout.write(self.summary(created))

    def summary(self, created):
        """A few lines: what was created this run, what exists now, and how to sign in."""
        lines = []
        if created:
            lines.append(_("Created: {items}.").format(
                items=", ".join(f"{count} {label}" for label, count in created.items())))
        else:
            lines.append(_("The sample data was already loaded; nothing changed."))
        types = api.list_credit_types()
        credits = api.list_credits()
        archived = sum(1 for credit in credits if not credit.is_active)
        lines.append(_("Credit types: {names}.").format(names=", ".join(t.name for t in types)))
        lines.append(_("Credits: {count} ({archived} archived).").format(count=len(credits), archived=archived))
        names = dict(StandaloneCourse.objects.values_list("course_key", "display_name"))
        for course_id in sample_data.COURSE_IDS:
            settings = api.get_course_settings(course_id)
            lines.append(_(
                "{name} ({course_id}): credits {state}, {designated} credit(s) designated, "
                "{awarded} award(s) standing, {revoked} revoked."
            ).format(
                name=names.get(settings.course_key, course_id), course_id=course_id,
                state=_("on") if settings.enabled else _("off"), designated=len(settings.credits),
                awarded=api.count_course_awards(course_id),
                revoked=api.count_course_awards(course_id, status="revoked"),
            ))
            lines.append("  " + _("Award trigger: {trigger}.").format(
                trigger=AwardTrigger(settings.award_trigger).label))
        lines.append(_("Sign in at /admin/login/ (username / password):"))
        roles = {
            sample_data.ROLE_OPERATOR: _("operator, global staff"),
            sample_data.ROLE_AUTHOR: _("course staff of both demo courses"),
            sample_data.ROLE_LEARNER: _("learner"),
        }
        for user in sample_data.USERS:
            lines.append(f"  {user.username} / {user.password}  ({roles[user.role]})")
        return "\n".join(lines)


class DemoDataLoader:
    """Creates the missing sample rows; ``load`` returns ``{what: how many were created}``."""

    def __init__(self):
        self.created = {}
        self.users = {}

    def count(self, label, created=True):
        if created:
            self.created[label] = self.created.get(label, 0) + 1

    def load(self):
        self.load_users()
        types = self.load_credit_types()
        credits = self.load_credits(types)
        self.load_courses(credits)
        self.load_approvals()
        self.load_grades()
        self.load_awards()
        self.load_external_credits(types)
        self.load_requirements(types, credits)
        self.load_signing_key()
        return self.created

    def load_signing_key(self):
        """
        The demo's key that signs Open Badges credentials: generated into the file the settings
        name (``DEMO_SIGNING_KEY``), published and activated, as an operator would with the
        ``credential_keys`` command.
        """
        if any(key.key_id == DEMO_KEY_ID for key in api.list_signing_keys()):
            return
        _key, pem = api.generate_signing_key("EdDSA", DEMO_KEY_ID)
        path = Path(django_settings.CREDITS_CREDENTIAL_SIGNING_KEYS[DEMO_KEY_ID])
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(pem)  # a fresh demo database: the key of an earlier one is of no use
        path.chmod(0o600)
        api.activate_signing_key(DEMO_KEY_ID)
        self.count(_("credential signing keys"), True)

    # --- the platform's side: people, courses, roles, grades --------------------------------------

    def load_users(self):
        User = get_user_model()
        for spec in sample_data.USERS:
            user, created = User.objects.get_or_create(username=spec.username, defaults={
                "first_name": spec.first_name, "last_name": spec.last_name,
                "email": f"{spec.username}@example.com",
                "is_staff": spec.is_staff, "is_superuser": spec.is_staff,
            })
            if created:
                user.set_password(spec.password)
                user.save(update_fields=["password"])
            self.count(_("users"), created)
            self.users[spec.username] = user
        for username, course_id in sample_data.COURSE_STAFF:
            _row, created = StandaloneCourseAccess.objects.get_or_create(
                user=self.users[username], course_key=CourseKey.from_string(course_id), role="staff")
            self.count(_("course staff roles"), created)

    def load_grades(self):
        for spec in sample_data.GRADES:
            _row, created = StandaloneCourseGrade.objects.get_or_create(
                user=self.users[spec.username], course_key=CourseKey.from_string(spec.course_id),
                defaults={"percent": spec.percent, "passed": spec.passed},
            )
            self.count(_("grades"), created)

    # --- the plugin's side, through its public API -------------------------------------------------

    def load_credit_types(self):
        existing = {t.name.lower(): t for t in api.list_credit_types()}
        types = {}
        for spec in sample_data.CREDIT_TYPES:
            found = existing.get(spec.name.lower())
            if found is None:
                found = api.create_credit_type(
                    name=spec.name, unit=spec.unit, description=spec.description,
                    requires_reference_number=spec.requires_reference_number,
                    allow_multiple_per_course=spec.allow_multiple_per_course,
                    translations=sample_data.TRANSLATIONS.get(spec.name),
                )
                self.count(_("credit types"))
            types[spec.name] = found
        return types

    def load_credits(self, types):
        existing = {(c.credit_type.id, c.name.lower()): c for c in api.list_credits()}
        credits = {}
        for spec in sample_data.CREDITS:
            credit_type = types[spec.type_name]
            found = existing.get((credit_type.id, spec.name.lower()))
            if found is None:
                found = api.create_credit(
                    credit_type_id=credit_type.id, name=spec.name, description=spec.description,
                    reference_number=spec.reference_number, is_active=spec.is_active,
                    translations=sample_data.TRANSLATIONS.get(spec.name),
                )
                self.count(_("credits"))
            credits[spec.name] = found
        return credits

    def load_courses(self, credits):
        for spec in sample_data.COURSES:
            course_key = CourseKey.from_string(spec.course_id)
            _row, created = StandaloneCourse.objects.get_or_create(
                course_key=course_key, defaults={"display_name": spec.display_name})
            self.count(_("courses"), created)
            # A read only: a course configured already (maybe by someone trying the demo) is left as it is.
            # The API answers "credits off" alike for a course never configured and one switched off.
            if CourseCreditSettings.objects.filter(course_key=course_key).exists() or \
                    api.list_course_credits(course_key):
                continue
            api.set_course_settings(
                course_key, enabled=True, award_trigger=spec.award_trigger,
                revoke_on_certificate_revoked=spec.revoke_on_certificate_revoked,
                credits=[{"credit": credits[d.credit_name].id, "amount": d.amount,
                          "reference_number": d.reference_number} for d in spec.credits],
            )
            self.count(_("course credit settings"))

    def load_approvals(self):
        """The operator approves the demo courses' credits that wait for approval (CPA Ontario's)."""
        operator = self.users[sample_data.OPERATOR]
        year = timezone.localdate().year
        valid_from = f"{year + sample_data.APPROVAL_YEARS[0]}-01-01"
        valid_until = f"{year + sample_data.APPROVAL_YEARS[1]}-12-31"
        for designation in api.list_designations(operator, approval_status="pending"):
            if str(designation.course_key) in sample_data.COURSE_IDS:
                api.approve_designation(designation.id, acting_user=operator, valid_from=valid_from,
                                        valid_until=valid_until)
                self.count(_("approvals"))

    def load_awards(self):
        """Automatic awards for passing learners, then the manual award and the revocation."""
        # What the course says now (an operator may have changed it), as the platform's events would find it.
        sources = {}
        for course_id in sample_data.COURSE_IDS:
            settings = api.get_course_settings(course_id)
            sources[course_id] = AWARD_SOURCE_BY_TRIGGER.get(settings.award_trigger) if settings.enabled else None
        for spec in sample_data.GRADES:
            source = sources[spec.course_id]
            if not spec.passed or source is None:
                continue
            result = api.award_course_credits(self.users[spec.username], spec.course_id, source=source)
            for _award in result.created:
                self.count(_("awards"))
        for spec in sample_data.MANUAL_AWARDS:
            learner = self.users[spec.username]
            if self._awards_of(learner, spec.course_id):
                continue  # awarded (or awarded and revoked) on an earlier run
            result = api.manual_award(spec.course_id, learner, acting_user=self.users[spec.acting_username],
                                      reason=spec.reason)
            for _award in result.created:
                self.count(_("awards"))
        for spec in sample_data.REVOCATIONS:
            for award in self._awards_of(self.users[spec.username], spec.course_id):
                # Only the automatic award: one given back by hand later is a staff decision to respect.
                if award.credit_name == spec.credit_name and award.status == "awarded" and award.source != "manual":
                    api.revoke_award(award.uuid, acting_user=self.users[spec.acting_username], reason=spec.reason)
                    self.count(_("revocations"))

    def load_external_credits(self, types):
        """The learner's credits earned elsewhere: one approved by the operator, one waiting for review."""
        for spec in sample_data.EXTERNAL_CREDITS:
            learner = self.users[spec.username]
            if any(e.title == spec.title for e in api.list_own_external_credits(learner)):
                continue
            sent = api.submit_external_credit(
                learner, title=spec.title, provider=spec.provider, credit_type_id=types[spec.credit_type].id,
                amount=spec.amount, earned_on=timezone.localdate() - datetime.timedelta(days=spec.days_ago),
                evidence=ContentFile(sample_data.EVIDENCE_PDF, name="attendance.pdf"))
            self.count(_("credits earned elsewhere"))
            if spec.decide == "approve":
                api.approve_external_credit(sent.id, acting_user=self.users[sample_data.OPERATOR])

    def load_requirements(self, types, credits):
        """The sample requirements (parts after their requirement) and who the assigned ones apply to."""
        made = {requirement.name: requirement for requirement in api.list_requirements()}
        for spec in sample_data.REQUIREMENTS:
            if spec.name in made:
                continue
            made[spec.name] = api.create_requirement(
                name=spec.name, amount=spec.amount, period_kind=spec.period_kind, period_length=spec.period_length,
                period_unit="years", credit_types=[types[spec.type_name].id] if spec.type_name else [],
                credits=[credits[name].id for name in spec.credit_names],
                parent=made[spec.parent].id if spec.parent else None, carry_over_max=spec.carry_over_max,
                applies_to_all=spec.applies_to_all, reminder_days=spec.reminder_days,
                user=self.users[sample_data.OPERATOR])
            self.count(_("requirements"))
        for name, username, days_ago in sample_data.ASSIGNMENTS:
            assigned = {entry["username"] for entry in api.list_assignments(made[name].id)}
            if username not in assigned:
                api.assign_learners(made[name].id, [{
                    "learner": username,
                    "cycle_start": timezone.localdate() - datetime.timedelta(days=days_ago)}],
                    user=self.users[sample_data.OPERATOR])
                self.count(_("requirement assignments"))

    @staticmethod
    def _awards_of(user, course_id):
        course_key = CourseKey.from_string(course_id)
        return [award for award in api.get_learner_summary(user).awards if award.course_key == course_key]
