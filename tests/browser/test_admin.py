"""The Wagtail admin works under its Content-Security-Policy, and the second factor enrols
from the QR code page (development settings: optional, so the demo keeps one login)."""

import base64
import re
import time

from django_otp.oath import TOTP
from playwright.sync_api import expect


def log_in(page, username):
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("changeme")
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/admin/$"))


def test_editor_pages_chooser_and_coverage_map_work_under_the_admin_policy(page):
    log_in(page, "admin")
    page.goto("/admin/pages/")
    page.get_by_role("link", name="Accueil", exact=True).click()
    expect(page).to_have_url(re.compile(r"/admin/pages/\d+/edit/"))
    page.locator("#id_hero_title").fill("Les achats publics au service de l'emploi local !")
    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    preview = page.frame_locator("iframe").last
    expect(preview.get_by_role("heading", level=1)).to_contain_text("emploi local !")
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    expect(page.get_by_text("La page « Accueil » a été mise à jour.")).to_be_visible()

    page.goto("/admin/snippets/directory/facilitator/?q=Arnaud")
    page.get_by_role("link", name="Camille Arnaud").first.click()
    expect(page.locator(".coverage-preview .leaflet-container")).to_be_visible()
    expect(page.locator(".coverage-preview path.leaflet-interactive").first).to_be_attached()

    page.get_by_role("button", name="Ajouter un territoire couvert").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_label("Nom, code postal ou code officiel").fill("13160")
    expect(modal.get_by_role("row", name=re.compile("Châteaurenard"))).to_be_visible()
    assert page.errors == []


def current_code(secret, later=0):
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    totp.time = time.time() + later
    return f"{totp.token():06d}"


# Runs after the test above: once enrolled, "admin" is asked for its code at every login.
def test_admin_enrols_an_authenticator_app_and_is_asked_for_it_next_time(page):
    log_in(page, "admin")
    page.goto("/admin/double-authentification/activer/")
    expect(page.get_by_role("img", name=re.compile("Code QR"))).to_be_visible()
    secret = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    page.get_by_label("Code à 6 chiffres").fill(current_code(secret))
    page.get_by_role("button", name="Confirmer").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/admin/$"))
    expect(page.get_by_text("Double authentification activée")).to_be_visible()

    page.context.clear_cookies()
    log_in_page = page
    log_in_page.goto("/admin/login/")
    log_in_page.locator("#id_username").fill("admin")
    log_in_page.locator("#id_password").fill("changeme")
    log_in_page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile("/admin/double-authentification/"))
    page.get_by_label("Code à 6 chiffres").fill(current_code(secret, later=30))
    page.get_by_role("button", name="Valider").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/admin/$"))
    assert page.errors == []


def test_a_coordination_follows_its_campaign(page):
    from axe_playwright_python.sync_playwright import Axe

    log_in(page, "coordination.13")
    expect(
        page.get_by_role("link", name=re.compile(r"bilans? en attente de validation"))
    ).to_be_visible()
    page.goto("/admin/observatory/campagne/?year=2026")
    expect(page.locator("h1")).to_contain_text("Campagne des bilans 2026")
    expect(page.get_by_text("Chiffres 2026 provisoires.")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Transmis \(\d+\)")).click()
    expect(
        page.get_by_role("row", name=re.compile("PLIE Arles Crau Camargue Montagnette"))
    ).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Roissy"))).to_have_count(0)  # Val-d'Oise
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa"]}})
    assert results.violations_count == 0, results.generate_report()
    assert page.errors == []
