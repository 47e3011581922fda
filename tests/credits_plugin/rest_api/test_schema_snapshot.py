"""The frontend's tests are written against a saved copy of the OpenAPI schema: it must be the live one."""
import json
from pathlib import Path

import pytest

SNAPSHOT = Path(__file__).resolve().parents[3] / "frontend" / "test" / "openapi.json"


@pytest.mark.skipif(not SNAPSHOT.exists(), reason="no frontend/ in this checkout")
def test_frontend_schema_snapshot_is_the_live_schema(client):
    live = client.get("/api/credits/v1/schema/", HTTP_ACCEPT="application/json").json()
    saved = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert saved["paths"] == live["paths"] and saved["components"] == live["components"], (
        "The API changed: regenerate frontend/test/openapi.json (see docs/frontend.md) and re-run the frontend tests")
