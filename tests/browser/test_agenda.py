"""The agenda and the grouped site search in a real browser: what a visitor does, at 1280 and
320 px, and an axe scan."""

import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.test_site import WCAG_21_AA

AGENDA = "/fr/agenda/"
COMMITTEE = "/fr/agenda/comite-departemental-clauses-sociales-landes/"
MORNING = "/fr/agenda/matinale-openmap-ess-marseille/"
TRAINING_EN = "/en/events/buyer-training-writing-a-social-clause/"


def test_agenda_and_events_pass_axe(page):
    for url, heading in [
        (AGENDA, "Agenda"),
        (AGENDA + "?quand=passes", "Agenda"),
        ("/en/events/", "Events"),
        (COMMITTEE, "Comité départemental des clauses sociales des Landes"),
        (MORNING, "OpenMap ESS"),
        (TRAINING_EN, "Training for buyers"),
        ("/fr/recherche/?q=Arles", "Rechercher sur le site"),
        ("/en/recherche/?q=attestation", "Search the site"),
    ]:
        page.goto(url)
        expect(page.locator("h1")).to_contain_text(heading)
        results = Axe().run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
    assert page.errors == []


def test_agenda_lists_upcoming_then_past_events_and_filters(page):
    page.goto("/fr/")
    upcoming = page.locator("section", has=page.get_by_role("heading", name="Prochains événements"))
    expect(upcoming.locator(".card")).to_have_count(2)
    upcoming.get_by_role("link", name="Tout l'agenda").click()
    expect(page).to_have_url(re.compile(r"/fr/agenda/$"))
    expect(page.get_by_role("status")).to_have_text("2 événements à venir")
    page.get_by_label("Catégorie").select_option("training")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("status")).to_have_text("1 événement à venir")
    expect(page.locator(".event-item")).to_contain_text("Formation des acheteurs")
    page.get_by_role("link", name="Événements passés").click()
    expect(page.get_by_role("status")).to_have_text("2 événements passés")
    page.get_by_role("link", name=re.compile("OpenMap ESS")).click()
    expect(page.get_by_role("note").filter(has_text="Cet événement a eu lieu.")).to_be_visible()


def test_event_page_offers_its_ics_file_and_shows_its_place_on_a_map(page):
    page.goto(COMMITTEE)
    expect(page.locator("#event-map .leaflet-interactive")).not_to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ajouter à mon agenda (.ics)").click()
    assert download.value.suggested_filename == "comite-departemental-clauses-sociales-landes.ics"
    content = Path(download.value.path()).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in content and "SUMMARY:Comité départemental" in content
    response = page.request.get("/fr/agenda/ical/")
    assert response.headers["content-type"].startswith("text/calendar")
    assert response.text().count("BEGIN:VEVENT") == 4
    assert page.errors == []


def test_search_for_arles_groups_the_commune_the_plie_and_its_facilitator(page):
    page.goto("/fr/")
    page.get_by_role("search").first.get_by_role("searchbox").fill("Arles")
    page.get_by_role("search").first.get_by_role("button", name="Rechercher").click()
    people = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("Structures et facilitateurs"))
    )
    expect(people).to_contain_text("PLIE Arles Crau Camargue Montagnette")
    expect(people.locator(".card__meta").filter(has_text="PLIE Arles Crau")).not_to_have_count(0)
    communes = page.locator("section", has=page.get_by_role("heading", name=re.compile("Communes")))
    communes.get_by_role("link", name="Qui contacter pour des travaux à Arles").click()
    expect(page).to_have_url(re.compile(r"/fr/trouver-mon-facilitateur/\?q=13004"))
    expect(page.locator("#resultat")).to_contain_text("Arles")
    page.goto("/fr/recherche/?q=attestation")
    documents = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("Documents"))
    )
    expect(documents).to_contain_text("Attestation")


def test_agenda_event_and_search_reflow_at_320_px(browser, live_url):
    context = browser.new_context(base_url=live_url, viewport={"width": 320, "height": 800})
    page = context.new_page()
    for url in [AGENDA, COMMITTEE, TRAINING_EN, "/fr/recherche/?q=Arles"]:
        page.goto(url)
        width = page.evaluate("document.querySelector('main').scrollWidth")
        assert width <= 320, f"{url}: the content is {width} px wide"
    context.close()
