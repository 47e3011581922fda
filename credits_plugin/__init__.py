"""Course Credits for Open edX: credit types, course designations and awards."""

__version__ = "0.1.0"
