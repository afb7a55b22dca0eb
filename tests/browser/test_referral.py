"""A contracting authority sizes its clause and sends its project; the facilitator finds it."""

import re

from playwright.sync_api import expect

SUBJECT = "Réfection de la toiture du gymnase (test navigateur)"


def test_from_the_tarascon_result_to_the_facilitators_inbox(page):
    page.goto("/fr/trouver-mon-facilitateur/?q=Tarascon")
    page.locator("#resultat").get_by_role(
        "link", name="Envoyer mon projet à Camille Arnaud"
    ).click()
    expect(page.get_by_role("heading", name="Votre projet sera adressé à")).to_be_visible()
    expect(page.get_by_label("Commune où seront exécutés les travaux ou le service")).to_have_value(
        "Tarascon (13)"
    )
    page.get_by_label("Organisme acheteur").fill("Ville de Tarascon (démonstration)")
    page.get_by_label("Votre nom").fill("Alice Exemple")
    page.get_by_label("Votre e-mail").fill("alice@example.org")
    page.get_by_role("radio", name="Travaux").check()
    page.get_by_label("Objet du marché").fill(SUBJECT)
    page.get_by_label("Montant estimé (€ HT)").fill("450 000")
    page.get_by_label(re.compile("J'accepte que ces informations")).check()
    page.get_by_role("button", name="Envoyer mon projet").click()

    expect(page.get_by_role("heading", name="Votre projet a bien été envoyé")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Camille Arnaud")
    expect(page.get_by_role("status")).to_contain_text("vous répondra sous 5 jours ouvrés")

    page.goto("/admin/login/")
    page.locator("#id_username").fill("facilitatrice.arles")
    page.locator("#id_password").fill("changeme")
    page.locator("button[type=submit]").click()
    page.get_by_role("link", name="Demandes").first.click()
    expect(page).to_have_url(re.compile("/admin/demandes/"))
    page.get_by_role("link", name=SUBJECT).click()
    expect(page.get_by_text("Ville de Tarascon (démonstration)")).to_be_visible()
    assert page.errors == []


def test_errors_are_shown_beside_the_fields_and_values_kept(page):
    page.goto("/fr/envoyer-mon-projet/?commune=13027")
    page.get_by_label("Votre e-mail").fill("pas-un-email")
    page.get_by_role("button", name="Envoyer mon projet").click()
    expect(page.get_by_role("alert")).to_contain_text("erreurs")
    expect(page.get_by_label("Votre e-mail")).to_have_value("pas-un-email")
    expect(page.get_by_label("Votre e-mail")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_text("Saisissez une adresse e-mail valide")).to_be_visible()


def test_calculator_updates_live_and_carries_the_result(page):
    page.goto("/fr/calculateur-heures-insertion/")
    page.get_by_label("Secteur ou lot").select_option(label="Maçonnerie, gros œuvre (50 %)")
    expect(page.get_by_label("Part de main-d'œuvre (%)")).to_have_value("50")
    page.get_by_label("Montant du marché (€ HT)").fill("1 000 000")
    result = page.locator("#resultat")
    expect(result.get_by_role("heading")).to_have_text("833 heures d'insertion")
    expect(result).to_contain_text("5,5 mois")
    result.get_by_role("link", name=re.compile("Envoyer mon projet")).click()
    expect(page.get_by_label("Heures d'insertion estimées")).to_have_value("833")
    assert page.errors == []


def test_calculator_and_form_pass_axe(page):
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.test_site import WCAG_21_AA

    for url in [
        "/fr/calculateur-heures-insertion/",
        "/fr/calculateur-heures-insertion/?sector=1&amount=1000000&labour_share=&rate=5&hourly_cost=30",
        "/fr/calculateur-heures-insertion/?amount=abc&labour_share=150&rate=5&hourly_cost=30",
        "/en/insertion-hours-calculator/",
        "/fr/envoyer-mon-projet/?commune=13108",
        "/en/send-my-project/",
    ]:
        page.goto(url)
        results = Axe().run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"{url}\n{results.generate_report()}"
    page.goto("/fr/envoyer-mon-projet/")
    page.get_by_role("button", name="Envoyer mon projet").click()  # the page with errors
    results = Axe().run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
