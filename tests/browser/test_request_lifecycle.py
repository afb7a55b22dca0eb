"""A request followed to the end: sent from the finder, taken by the facilitator from the link
of the e-mail (no admin login), and the sender's tracking page says so."""

import email
from email import policy
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import manage

SUBJECT = "Entretien des espaces verts du stade (suivi, test navigateur)"


def delivered(env):
    """Run the outbox worker once; every message it wrote to files, parsed."""
    manage(env, "send_outbox")
    messages = []
    for file in sorted(Path(env["EMAIL_FILE_PATH"]).glob("*.log")):
        for raw in file.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if raw.strip():
                messages.append(email.message_from_bytes(raw.strip(), policy=policy.default))
    return messages


def about(messages, to, words):
    (found,) = [
        m for m in messages if to in str(m["To"]) and words in " ".join(str(m["Subject"]).split())
    ]
    return found.get_body(("plain",)).get_content()


def link(body, part):
    (found,) = [word for word in body.split() if part in word and word.startswith("http")]
    return found


def test_from_the_finder_to_the_tracking_page_after_the_facilitator_takes_it(
    page, live_url, live_env
):
    page.goto("/fr/trouver-mon-facilitateur/?q=Tarascon")
    page.locator("#resultat").get_by_role(
        "link", name="Envoyer mon projet à Camille Arnaud"
    ).click()
    page.get_by_label("Organisme acheteur").fill("Ville de Tarascon (suivi)")
    page.get_by_label("Votre nom").fill("Bérénice Exemple")
    page.get_by_label("Votre e-mail").fill("berenice@example.org")
    page.get_by_role("radio", name="Services").check()
    page.get_by_label("Objet du marché").fill(SUBJECT)
    page.get_by_label("J'accepte que ces informations", exact=False).check()
    page.get_by_role("button", name="Envoyer mon projet").click()
    expect(page.get_by_role("heading", name="Votre projet a bien été envoyé")).to_be_visible()

    messages = delivered(live_env)
    to_facilitator = about(messages, "@", f"Nouveau projet à accompagner : {SUBJECT}")
    acknowledgment = about(messages, "berenice@example.org", "Votre projet a bien été transmis")
    take = link(to_facilitator, "/suivi-demande/je-m-en-occupe/")
    tracking = link(acknowledgment, "/suivi-demande/")
    assert take.startswith(live_url) and tracking.startswith(live_url)

    # Before: the sender's page says "new", with the facilitator who will answer.
    page.goto(tracking)
    expect(page.locator(".request-status")).to_have_text("Nouvelle")

    # The facilitator opens the link, with no account: one step to confirm.
    page.goto(take)
    expect(page.get_by_role("heading", name="Je m'en occupe")).to_be_visible()
    page.get_by_role("button", name="Je confirme : je m'en occupe").click()
    expect(page.get_by_role("status")).to_contain_text("la demande est prise en compte")
    page.goto(take)  # the link is spent: it shows where the request stands
    expect(page.get_by_role("status")).to_contain_text("déjà prise en compte")
    expect(page.get_by_role("button", name="Je confirme : je m'en occupe")).to_have_count(0)

    page.goto(tracking)
    expect(page.locator(".request-status")).to_have_text("Prise en compte")
    expect(page.get_by_role("status")).to_contain_text("Camille Arnaud")
    expect(page.get_by_role("listitem").filter(has_text="Prise en compte par Camille Arnaud"))
    assert page.errors == []

    told = about(delivered(live_env), "berenice@example.org", "Votre projet est pris en compte")
    assert "Camille Arnaud" in told
