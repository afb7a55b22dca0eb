"""What a visitor sees and does in a real browser, in French and English, and an axe scan."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

# One URL per page type, in both languages.
PAGES = [
    ("/fr/", "Les achats publics au service de l'emploi local"),
    ("/en/", "Public procurement working for local jobs"),
    ("/fr/comprendre/", "Comprendre les clauses sociales"),
    ("/fr/comprendre/clause-insertion/", "La clause sociale d'insertion"),
    ("/en/understanding-social-clauses/insertion-clause/", "The social insertion clause"),
    ("/fr/actualites/", "Actualités"),
    ("/en/news/", "News"),
    ("/fr/actualites/grand-paris-express-cinq-pour-cent/", "Grand Paris Express"),
    ("/en/news/grand-paris-express-five-percent/", "Grand Paris Express"),
    ("/fr/resultats/", "Résultats"),
    ("/fr/resultats/2025/", "Résultats 2025"),
    ("/en/results/2025/", "2025 results"),
    ("/fr/guides/", "Guides et modèles"),
    ("/en/guidance/", "Guides and templates"),
    ("/fr/contact/", "Contact"),
    ("/en/contact/", "Contact"),
    ("/fr/accessibilite/", "Déclaration d'accessibilité"),
    ("/fr/donnees-ouvertes/", "Données ouvertes et API"),
    ("/fr/recherche/?q=clause", "Rechercher sur le site"),
    ("/en/recherche/?q=clause", "Search the site"),
    ("/fr/annuaire/structures/cbe-du-seignanx/", "CBE du Seignanx"),
    ("/en/directory/structures/cbe-du-seignanx/", "CBE du Seignanx"),
    ("/fr/observatoire/2025/departements/13/", "Résultats 2025 — Bouches-du-Rhône"),
    ("/en/observatory/2025/departements/13/", "2025 results — Bouches-du-Rhône"),
    ("/fr/observatoire/2025/", "Résultats 2025 — France entière"),
    # A campaign under way: provisional, with its notice and the year drawn apart in trends.
    ("/fr/observatoire/2026/", "Résultats 2026 — France entière (provisoires)"),
    ("/en/observatory/2026/", "2026 results — All of France (provisional)"),
    ("/fr/page-inconnue/", "Page introuvable"),
    ("/en/unknown-page/", "Page not found"),
]


@pytest.mark.parametrize("url,heading", PAGES)
def test_page_renders_and_passes_axe(page, url, heading):
    page.goto(url)
    expect(page.locator("h1")).to_contain_text(heading)
    language = url.split("/")[1]
    assert page.locator("html").get_attribute("lang") == language
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    assert page.errors == []


def test_guidance_document_page_passes_axe(page):
    page.goto("/fr/guides/")
    page.get_by_role("link", name=re.compile("Relevé mensuel des heures")).first.click()
    expect(page.locator("h1")).to_contain_text("Relevé mensuel des heures d'insertion")
    expect(page.get_by_role("link", name="Télécharger le document")).to_have_attribute(
        "href", re.compile(r"\.xlsx$")
    )
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()


def test_navigation_and_language_switcher(page):
    page.goto("/fr/")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Résultats"
    ).click()
    expect(page).to_have_url(re.compile(r"/fr/resultats/$"))
    page.get_by_role("link", name="Résultats 2025").click()
    expect(page.locator("h1")).to_have_text("Résultats 2025")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/results/2025/$"))
    expect(page.locator("h1")).to_have_text("2025 results")
    expect(page.get_by_role("link", name="Skip to content")).to_be_attached()
    # Every demo article has its English translation (the switcher's fallback to the other
    # language's home page, for an untranslated page, is tested in portal/tests/test_pages.py).
    page.goto("/fr/actualites/seignanx-quinze-ans-de-clauses/")
    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/en/news/seignanx-fifteen-years-of-clauses/$"))


def test_skip_link_is_the_first_stop_and_focus_is_visible(page):
    page.goto("/fr/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Aller au contenu"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#contenu$"))


def test_news_filters_work(page):
    page.goto("/fr/actualites/")
    page.get_by_label("Catégorie").select_option(label="Donneurs d'ordre")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("status")).to_have_text("2 articles")
    expect(page.get_by_role("link", name=re.compile("Grand Paris Express"))).to_be_visible()


def test_contact_form_keeps_input_and_shows_errors(page):
    page.goto("/fr/contact/")
    page.get_by_label("Nom et prénom").fill("Claire Exemple")
    page.get_by_label("Adresse e-mail").fill("pas-un-email")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.get_by_role("alert")).to_contain_text("erreurs")
    expect(page.get_by_label("Nom et prénom")).to_have_value("Claire Exemple")
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
    page.get_by_label("Adresse e-mail").fill("claire@example.org")
    page.get_by_label("Vous êtes").select_option(label="Entreprise")
    page.get_by_label("Message").fill("Bonjour, une question sur la clause.")
    page.get_by_role("button", name="Envoyer").click()
    expect(page.locator("h1")).to_have_text("Message envoyé")


def test_results_csv_download(page):
    page.goto("/fr/resultats/2025/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger les chiffres 2025 (CSV)").click()
    download = download_info.value
    assert download.suggested_filename == "resultats-clauses-sociales-2025.csv"
    with open(download.path(), encoding="utf-8-sig") as stream:
        content = stream.read()
    # The demo's national figures: the sum of its structures' validated reports.
    assert "heures d'insertion réalisées;1190470;1114310;6,8" in content
