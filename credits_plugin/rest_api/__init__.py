"""The JSON API of Course Credits, mounted under /api/credits/."""
