"""A facilitator proposes a change of her record; her coordination finds it among the records
to validate, reads what changes at the top of the review screen and approves it with a
comment — no autosave running beside the buttons, no error."""

import re

from playwright.sync_api import expect


def log_in(page, username):
    page.context.clear_cookies()
    page.goto("/admin/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill("changeme")
    page.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"^http://[^/]+/admin/$"))


def test_a_coordination_reviews_and_approves_a_proposal_with_a_comment(page):
    log_in(page, "facilitatrice.arles")
    page.goto("/admin/snippets/directory/facilitator/?q=Arnaud")
    page.get_by_role("link", name="Camille Arnaud").first.click()
    page.get_by_label("Téléphone").fill("01 00 00 00 77")
    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("Soumettre à")).click()
    expect(page.get_by_text(re.compile("Demande de validation envoyée"))).to_be_visible()

    log_in(page, "coordination.13")
    page.goto("/admin/snippets/directory/facilitator/?status=a-valider")
    row = page.get_by_role("row", name=re.compile("Camille Arnaud"))
    expect(row).to_contain_text("À valider")
    row.get_by_role("link", name="Camille Arnaud").first.click()

    summary = page.locator(".proposal-summary")
    expect(page.get_by_role("heading", name="Modifications proposées, à valider")).to_be_visible()
    expect(summary.get_by_role("row", name=re.compile("Téléphone"))).to_contain_text(
        "01 00 00 00 77"
    )
    expect(page.locator("[data-w-autosave-interval-value]")).to_have_count(0)

    page.locator("[data-w-dropdown-target='toggle']").last.click()
    page.get_by_role("button", name=re.compile("Approuver avec un commentaire")).click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("textbox").fill("Numéro vérifié avec la structure.")
    modal.get_by_role("button", name=re.compile("Approuver")).click()
    # The form is saved with the decision, then the listing opens.
    expect(page).to_have_url(re.compile(r"/admin/snippets/directory/facilitator/$"))
    row = page.get_by_role("row", name=re.compile("Camille Arnaud"))
    expect(row).to_contain_text("Publiée")
    expect(row).to_contain_text("01 00 00 00 77")
    assert page.errors == []
