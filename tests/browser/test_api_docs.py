"""The open-data API's documentation page as a visitor reads it, in French and English."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize(
    ("url", "heading", "summary"),
    [
        ("/fr/api/", "API des données ouvertes", "Trouver la commune et la personne à contacter"),
        ("/en/api/", "Open-data API", "Find the commune and the person to contact"),
    ],
)
def test_documentation_page_passes_axe(page, url, heading, summary):
    page.goto(url)
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.get_by_role("heading", name=summary)).to_be_visible()
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    assert page.errors == []


def test_from_the_open_data_page_to_an_example_answer(page):
    page.goto("/fr/donnees-ouvertes/")
    page.get_by_role("link", name="Documentation de l'API").click()
    expect(page).to_have_url(re.compile(r"/fr/api/$"))
    page.get_by_role("link", name="English").click()
    expect(page.locator("h1")).to_have_text("Open-data API")
    page.get_by_role("link", name="GET /api/v1/communes/13108/").click()
    data = page.evaluate("JSON.parse(document.body.innerText)")
    assert data["commune"]["name"] == "Tarascon" and data["status"] == "lead"
