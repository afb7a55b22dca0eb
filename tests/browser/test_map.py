"""A contracting authority finds its facilitator on the map (demo data, no map tiles)."""

import re

from playwright.sync_api import expect

MAP = "/fr/trouver-mon-facilitateur/"


def open_departement(page, code):
    page.get_by_label("Département", exact=True).select_option(code)
    expect(page.locator("#coverage-map")).to_have_attribute("data-departement", code)


def test_map_draws_departements_then_communes_with_hatched_white_zones(page):
    page.goto(MAP)
    expect(page.locator("#coverage-map")).to_have_attribute("data-departements", "5")
    expect(page.locator("path.departement")).to_have_count(5)
    # Hauts-de-Seine has no facilitator at all: hatched in the national view.
    expect(page.locator('path.departement.zone-white[data-code="92"]')).to_have_count(1)

    open_departement(page, "13")
    white = page.locator("path.commune.zone-white")
    expect(white.first).to_be_attached()
    assert white.count() > 10  # CA Terre de Provence, CC Vallée des Baux-Alpilles…
    fill = white.first.evaluate("path => getComputedStyle(path).fill")
    assert "hatch-white" in fill  # a pattern, not colour alone
    assert page.locator("path.commune.zone-lead").count() > 50
    assert page.errors == []


def test_clicking_tarascon_shows_the_arles_plie_as_lead_with_its_explanation(page):
    page.goto(MAP)
    open_departement(page, "13")
    page.locator('path.commune[data-code="13108"]').dispatch_event("click")
    panel = page.locator("#map-panel")
    expect(panel).to_have_attribute("data-commune", "13108")
    expect(panel.get_by_role("heading", name="Tarascon (13)")).to_be_visible()
    expect(panel).to_contain_text("PLIE Arles Crau Camargue Montagnette")
    expect(panel).to_contain_text("Chef de file désigné par la CA Arles-Crau-Camargue-Montagnette")
    expect(panel.get_by_role("link", name="Fiche de la commune")).to_have_attribute(
        "href", "/fr/annuaire/communes/13108/"
    )
    expect(panel.get_by_role("link", name="Envoyer mon projet à Camille Arnaud")).to_have_attribute(
        "href", "/fr/envoyer-mon-projet/?commune=13108"
    )
    # The lead's territory is outlined: the communes of the CA Arles-Crau-Camargue-Montagnette.
    assert page.locator("path.lead-territory").count() >= 6
    assert page.errors == []


def test_the_panel_shows_the_servers_answer_for_a_contact_and_for_several(page):
    """The side panel is the page's own answer fragment: same heading, job title, coverage and
    button as the result below the search; the map colours each status as the legend says."""
    page.goto(MAP + "?q=40192")  # Mont-de-Marsan: one facilitator, no designation
    panel = page.locator("#map-panel")
    expect(panel).to_have_attribute("data-commune", "40192")
    expect(panel.get_by_role("heading", name="Votre contact")).to_be_visible()
    expect(panel).to_contain_text("Facilitateur clause sociale, Mont de Marsan Agglomération")
    expect(panel).to_contain_text("1 territoire couvert")
    expect(panel.get_by_role("link", name="Envoyer mon projet à Hugo Lemoine")).to_be_visible()
    assert panel.locator("[data-status=contact]").count() == 1
    assert page.locator('path.commune.zone-contact[data-code="40192"]').count() == 1
    expect(page.locator(".legend")).to_contain_text("Un seul facilitateur, sans désignation")

    page.goto(MAP + "?q=40065")  # Capbreton: two facilitators, no designation
    expect(panel).to_have_attribute("data-commune", "40065")
    expect(panel.get_by_role("heading", name="Pas de chef de file")).to_be_visible()
    expect(panel).to_contain_text("Claire Dumas")
    expect(panel).to_contain_text("Yanis Robert")
    expect(panel.get_by_role("link", name="Envoyer mon projet à la coordination")).to_be_visible()
    assert page.locator('path.commune.zone-several[data-code="40065"]').count() == 1
    assert page.errors == []


def test_address_search_opens_the_right_commune_on_the_map(page):
    page.goto(MAP)
    page.get_by_label("Lieu d'exécution des travaux ou du service").fill(
        "12 rue de la République, Arles"
    )
    page.get_by_role("button", name="Trouver le facilitateur").click()
    expect(page).to_have_url(re.compile(r"\?q=12\+rue"))
    expect(page.locator("#resultat h2").first).to_have_text(re.compile("Arles"))
    expect(page.locator("#resultat")).to_contain_text("12 Rue de la République 13200 Arles")
    panel = page.locator("#map-panel")
    expect(panel).to_have_attribute("data-commune", "13004")
    expect(panel).to_contain_text("Adresse trouvée : 12 Rue de la République 13200 Arles")
    assert page.errors == []


def test_the_search_and_the_map_are_usable_by_keyboard_alone(page):
    page.goto(MAP)
    search = page.get_by_label("Lieu d'exécution des travaux ou du service")
    for _step in range(40):  # from the top of the page, Tab until the search box
        page.keyboard.press("Tab")
        if search.evaluate("input => input === document.activeElement"):
            break
    else:
        raise AssertionError("the search box cannot be reached with Tab")
    page.keyboard.type("Tarascon")
    page.keyboard.press("Enter")
    expect(page.locator("#map-panel")).to_have_attribute("data-commune", "13108")
    expect(page.locator(".answer__explanation").first).to_contain_text("Arles-Crau-Camargue")

    # The département list moves the map; the map itself takes focus and the arrows.
    select = page.get_by_label("Département", exact=True)
    select.focus()
    select.press("ArrowDown")  # a <select> changes value with the arrows
    expect(page.locator("#coverage-map")).to_have_attribute("data-departement", re.compile(r"\w+"))
    page.locator("#coverage-map").focus()
    assert page.evaluate("document.activeElement.id") == "coverage-map"
    page.keyboard.press("ArrowLeft")  # pans without error
    assert page.errors == []


def test_commune_list_without_javascript_filters_white_zones(browser, live_url):
    context = browser.new_context(base_url=live_url, java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    page.goto(MAP + "?departement=40")
    page.get_by_label("Zones blanches seulement").check()
    page.get_by_role("button", name="Filtrer").click()
    rows = page.locator(".commune-table tbody tr")
    assert rows.count() > 250  # Landes outside the Seignanx, Mont-de-Marsan and MACS
    expect(rows.first).to_contain_text("Zone blanche")
    page.get_by_role("link", name="Population").click()
    first = rows.first.locator("th").inner_text()
    assert first.startswith("Dax"), first  # Mont-de-Marsan has its contact now
    context.close()


def test_map_pages_pass_axe(page):
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.test_site import WCAG_21_AA

    for url in [
        MAP,
        MAP + "?q=Tarascon",
        MAP + "?q=13200",
        "/en/find-my-facilitator/?departement=13",
    ]:
        page.goto(url)
        expect(page.locator("#coverage-map")).to_have_attribute("data-departements", "5")
        results = Axe().run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"


def test_named_perimeters_layer_and_a_white_zone_panel_naming_the_nearest(page):
    # Saint-Rémy-de-Provence (CC Vallée des Baux-Alpilles): a white zone no other test changes.
    page.goto(MAP)
    open_departement(page, "13")
    page.get_by_label("Périmètres nommés").check()
    expect(page.locator("path.perimeter")).to_have_count(5)  # the Métropole's territories
    expect(page.locator(".perimeter-label", has_text="Pays d'Aix")).to_have_count(1)
    page.locator('path.commune[data-code="13100"]').dispatch_event("click")
    panel = page.locator("#map-panel")
    expect(panel).to_have_attribute("data-commune", "13100")
    expect(panel).to_contain_text(
        "Facilitateurs les plus proches, qui ne couvrent pas cette commune"
    )
    expect(panel.locator(".card--nearest").first).to_contain_text("pas cette commune")
    assert page.errors == []
