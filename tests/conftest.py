"""Shared fixtures: paths to the bundled sample and to ../shared (skipped where absent)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests (test_properties.py): no deadline (the first example loads spaCy; a shared CI
# machine stalls), a modest number of examples; CI's profile is derandomized, so every run tries
# the same examples and a failure is reproducible. HYPOTHESIS_PROFILE=dev explores new ones.
hypothesis_settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True, database=None,
                                     print_blob=True)
hypothesis_settings.register_profile("dev", max_examples=150, deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("NEWSEVENTS_SHARED", ROOT.parent / "shared"))


@pytest.fixture(scope="session")
def sample_path() -> Path:
    from newsevents.data import SAMPLE_ARTICLE, data_path

    return data_path("samples", SAMPLE_ARTICLE)


@pytest.fixture(scope="session")
def sample_text(sample_path) -> str:
    return sample_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} (the shared gold data) is not here; set NEWSEVENTS_SHARED to run this test")
    return SHARED


@pytest.fixture(scope="session")
def sample_doc(sample_text):
    """The canonical article through the whole pipeline (parsed once per session)."""
    import newsevents

    return newsevents.extract(sample_text, source="kremlin-2022-01-13.txt")


@pytest.fixture(autouse=True)
def _isolated_store(tmp_path, monkeypatch):
    # Never write to the user's real store from a test.
    monkeypatch.setenv("NEWSEVENTS_STORE", str(tmp_path / "store.duckdb"))


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium driven by Playwright; skipped where it is missing, unless
    NEWSEVENTS_REQUIRE_BROWSER=1 (CI sets it), then the test fails."""
    if not CHROMIUM.exists():
        if os.environ.get("NEWSEVENTS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{CHROMIUM} is missing and NEWSEVENTS_REQUIRE_BROWSER=1: apt-get install chromium")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); set NEWSEVENTS_REQUIRE_BROWSER=1 "
                    "to fail instead")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()
