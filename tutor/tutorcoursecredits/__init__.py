"""Tutor plugin for Course Credits: ``tutor plugins enable course-credits``."""
