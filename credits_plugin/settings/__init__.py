"""Plugin settings for the LMS and Studio, applied by edx-django-utils' plugin loader."""
