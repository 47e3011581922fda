"""
The operators' Django admin of Course Credits.

Found by Django's admin autodiscovery; importing the modules registers their pages:
``structure`` (credit types and credits), ``courses`` (course settings and designations)
and ``awards`` (the ledger and each learner's obtained-credits summary).
"""
from credits_plugin.admin import awards, courses, structure  # noqa: F401  pylint: disable=unused-import
