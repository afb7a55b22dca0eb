"""A coordinator keeps the directory true; the public commune page follows."""

import re

from playwright.sync_api import expect


def test_coordinator_adds_a_commune_to_a_facilitator_and_the_public_page_shows_it(page):
    page.goto("/fr/annuaire/communes/13027/")
    expect(page.get_by_role("heading", name="Zone blanche")).to_be_visible()

    page.goto("/admin/login/")
    page.locator("#id_username").fill("coordination")
    page.locator("#id_password").fill("changeme")
    page.locator("button[type=submit]").click()
    page.goto("/admin/snippets/directory/facilitator/?q=Arnaud")
    page.get_by_role("link", name="Camille Arnaud").first.click()

    page.get_by_role("button", name="Ajouter un territoire couvert").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_label("Nom, code postal ou code officiel").fill("13160")
    row = modal.get_by_role("row", name=re.compile("Châteaurenard"))
    row.get_by_role("checkbox").check()
    modal.get_by_role("button", name=re.compile("Confirmer")).click()
    expect(page.locator(".chooser__title", has_text="Châteaurenard (13)")).to_be_visible()

    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name="Publier").click()
    expect(page.get_by_text(re.compile("publié", re.I)).first).to_be_visible()

    page.goto("/fr/annuaire/communes/13027/")
    expect(page.get_by_role("heading", name="Votre contact")).to_be_visible()
    expect(page.get_by_role("heading", name="Camille Arnaud")).to_be_visible()


def test_directory_pages_pass_axe(page):
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.test_site import WCAG_21_AA

    for url in [
        "/fr/annuaire/",
        "/en/directory/",
        "/fr/annuaire/communes/13108/",
        "/fr/annuaire/recherche/?q=saint",
        "/fr/annuaire/communes/99999/",
    ]:
        page.goto(url)
        results = Axe().run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"


def test_public_search_finds_a_commune_by_postal_code(page):
    page.goto("/fr/annuaire/")
    page.get_by_label("Commune, code postal, code INSEE ou adresse").fill("13200")
    page.get_by_role("button", name="Trouver le facilitateur").click()
    expect(page).to_have_url(re.compile(r"/fr/annuaire/communes/13004/$"))
    expect(page.locator(".answer__explanation")).to_contain_text(
        "la CA Arles-Crau-Camargue-Montagnette"
    )
