"""Stand-ins for CourseOverview, course access roles, persisted course grades and language preferences."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from opaque_keys.edx.django.models import CourseKeyField


class StandaloneCourse(models.Model):
    """
    A course and its display name (plays CourseOverview).

    .. no_pii:
    """

    course_key = CourseKeyField(max_length=255, unique=True)
    display_name = models.CharField(max_length=255)

    def __str__(self):
        return self.display_name


class StandaloneCourseAccess(models.Model):
    """
    A user's role in a course (plays CourseAccessRole).

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course_key = CourseKeyField(max_length=255, db_index=True)
    role = models.CharField(max_length=32, default="staff")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "course_key", "role"],
                                               name="credits_standalone_access_unique")]

    def __str__(self):
        return f"{self.role} of {self.course_key}"


class StandaloneCourseGrade(models.Model):
    """
    Whether a learner passes a course now (plays PersistentCourseGrade).

    .. no_pii:
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    course_key = CourseKeyField(max_length=255)
    percent = models.FloatField(default=0.0)
    passed = models.BooleanField(default=False)
    # When the grade last changed, as PersistentCourseGrade.modified (indexed there with the course).
    modified = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course_key", "user"],
                                               name="credits_standalone_grade_unique")]

    def __str__(self):
        return f"{self.course_key}: {'passing' if self.passed else 'not passing'}"

    def save(self, *args, **kwargs):
        self.modified = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "modified"}
        super().save(*args, **kwargs)


class StandaloneLanguagePreference(models.Model):
    """
    The language a learner chose for the site (plays the platform's ``pref-lang`` UserPreference).

    .. no_pii:
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=16)

    def __str__(self):
        return self.language
