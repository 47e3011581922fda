"""Version 1 of the Course Credits REST API (/api/credits/v1/)."""
