"""
The operators' Django admin of Course Credits.

Found by Django's admin autodiscovery; importing the modules registers their pages:
``structure`` (credit types and credits), ``courses`` (course settings and designations)
``awards`` (the ledger and each learner's obtained-credits summary), ``external`` (the review of
credits earned elsewhere) and ``requirements`` (continuing-education requirements, their parts and
assigned learners).
"""
from credits_plugin.admin import awards, courses, external, requirements, structure  # noqa: F401  pylint: disable=unused-import
