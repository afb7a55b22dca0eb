"""A coordination's team in a real browser: "Mon équipe" shows the demo's pending invitation,
a colleague is invited and chooses a password from the e-mail's link; a locked account is
unlocked by its owner with the link sent to its e-mail. Each page passes an axe scan."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import manage
from tests.browser.test_admin import log_in
from tests.browser.test_request_lifecycle import about, delivered, link

PASSWORD = "un-mot-de-passe-solide-42"


def axe_clean(page):
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser.test_site import WCAG_21_AA

    results = Axe().run(page, context={"include": [["main"]]}, options=WCAG_21_AA)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def test_a_coordination_invites_a_colleague_who_chooses_a_password(
    page, browser, live_url, live_env
):
    log_in(page, "coordination.13")
    page.get_by_role("link", name="Mon équipe").click()
    expect(page.get_by_role("heading", name="Mon équipe")).to_be_visible()
    row = page.get_by_role("row", name=re.compile("Julien Marchand"))
    expect(row).to_contain_text("invitation en attente")
    axe_clean(page)

    page.get_by_role("link", name="Inviter un membre de la coordination").click()
    page.locator("#id_first_name").fill("Nadia")
    page.locator("#id_last_name").fill("Roux")
    page.locator("#id_email").fill("nadia.roux@example.org")
    axe_clean(page)
    page.get_by_role("button", name="Envoyer l'invitation").click()
    expect(page.get_by_text("L'invitation est envoyée à nadia.roux@example.org.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("Nadia Roux"))).to_contain_text(
        "invitation en attente"
    )

    body = about(delivered(live_env), "nadia.roux@example.org", "Invitation au Portail")
    url = link(body, "/admin/compte/invitation/")
    assert url.startswith(live_url)
    invited = browser.new_context(base_url=live_url, locale="fr-FR").new_page()
    invited.goto(url)
    expect(invited.get_by_text("nadia.roux@example.org")).to_be_visible()
    axe_clean(invited)
    invited.locator("#id_new_password1").fill(PASSWORD)
    invited.locator("#id_new_password2").fill(PASSWORD)
    invited.get_by_role("button", name="Enregistrer et me connecter").click()
    expect(invited).to_have_url(re.compile(r"^http://[^/]+/admin/$"))
    expect(invited.get_by_text("Bienvenue : votre mot de passe est enregistré.")).to_be_visible()
    invited.goto(url)
    expect(invited.get_by_text("Ce lien a déjà servi")).to_be_visible()
    invited.context.close()
    assert page.errors == []


def test_a_locked_person_unlocks_its_account_with_the_emailed_link(page, live_env):
    manage(live_env, "send_outbox")  # earlier tests' messages out of the way
    page.goto("/admin/login/")
    for _attempt in range(5):
        page.locator("#id_username").fill("redacteur")
        page.locator("#id_password").fill("pas-le-bon")
        page.locator("button[type=submit]").click()
    expect(page.get_by_text("Trop de mots de passe erronés pour ce compte")).to_be_visible()
    axe_clean(page)
    page.get_by_role("button", name="Recevoir un lien de déblocage").click()
    expect(page.get_by_text("Si « redacteur » est un compte bloqué")).to_be_visible()
    axe_clean(page)

    body = about(delivered(live_env), "redaction@example.org", "débloquer votre compte")
    page.goto(link(body, "/admin/compte/deblocage/"))
    axe_clean(page)
    page.get_by_role("button", name="Débloquer mon compte").click()
    expect(page.get_by_text("Votre compte est débloqué")).to_be_visible()
    page.locator("#id_username").fill("redacteur")
    page.locator("#id_password").fill("changeme")
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/admin/$"))
    assert page.errors == []
