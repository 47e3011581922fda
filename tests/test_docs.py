"""The guides in docs/ and the README: every local link and image they name exists."""
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(REPO).as_posix())
def test_local_links_and_images_exist(page):
    targets = [t.split("#")[0] for t in LINK.findall(page.read_text(encoding="utf-8"))]
    local = [t for t in targets if t and not re.match(r"^[a-z]+:", t)]
    missing = [t for t in local if not (page.parent / t).exists()]
    assert not missing, f"{page.name} links to missing files: {missing}"


def test_guides_show_the_screenshots_the_tests_take():
    """Each guide has screenshots, and every screenshot under docs/images is shown by some page."""
    shown = {t for page in PAGES for t in LINK.findall(page.read_text(encoding="utf-8"))}
    images = {p.relative_to(REPO / "docs").as_posix() for p in (REPO / "docs" / "images").rglob("*.png")}
    assert images and not images - shown, f"screenshots no page shows: {sorted(images - shown)}"
    for guide in ("author-guide.md", "learner-guide.md"):
        assert "](images/" in (REPO / "docs" / guide).read_text(encoding="utf-8")
