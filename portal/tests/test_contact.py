import pytest
from django.core import mail
from wagtail.contrib.forms.models import FormSubmission

from conftest import flush_outbox, publish_child, text
from portal.models import ContactFormField, ContactPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def contact(home):
    page = ContactPage(
        title="Contact",
        slug="contact",
        thank_you_text="<p>Merci, votre message est bien arrivé.</p>",
        to_address="coordination@example.org",
        from_address="portail@example.org",
        subject="Message du portail",
    )
    page.form_fields = [
        ContactFormField(label="Nom", field_type="singleline", required=True),
        ContactFormField(label="Adresse e-mail", field_type="email", required=True),
        ContactFormField(label="Message", field_type="multiline", required=True),
    ]
    return publish_child(home, page)


def test_a_message_is_kept_and_mailed(client, contact):
    response = client.post(
        "/fr/contact/",
        {"nom": "Claire Exemple", "adresse_e_mail": "claire@example.org", "message": "Bonjour"},
    )
    assert response.status_code == 200
    assert "Merci, votre message est bien arrivé." in text(response)
    submission = FormSubmission.objects.get()
    assert submission.get_data()["adresse_e_mail"] == "claire@example.org"
    assert "site_web" not in submission.form_data
    assert mail.outbox == []  # queued: the worker sends it
    flush_outbox()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["coordination@example.org"]
    assert "Bonjour" in mail.outbox[0].body


def test_errors_are_shown_next_to_the_fields_and_input_is_kept(client, contact):
    response = client.post(
        "/fr/contact/", {"nom": "Claire Exemple", "adresse_e_mail": "pas-un-email", "message": ""}
    )
    html = text(response)
    assert response.status_code == 200
    assert "Le formulaire contient 2 erreurs" in html
    assert 'value="Claire Exemple"' in html
    assert 'value="pas-un-email"' in html
    assert 'id="id_adresse_e_mail-error"' in html
    assert 'id="id_message-error"' in html
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_the_honeypot_drops_bots_silently(client, contact):
    response = client.post(
        "/fr/contact/",
        {
            "nom": "Bot",
            "adresse_e_mail": "bot@example.org",
            "message": "Achetez",
            "site_web": "http://spam.example.org",
        },
    )
    assert response.status_code == 200
    assert "Merci" in text(response)
    assert FormSubmission.objects.count() == 0
    assert mail.outbox == []


def test_a_drop_down_list_starts_unchosen_and_must_be_answered(client, contact):
    ContactFormField.objects.create(
        page=contact,
        label="Vous êtes",
        field_type="dropdown",
        required=True,
        choices="Acheteur public\nEntreprise",
        sort_order=9,
    )
    html = text(client.get("/fr/contact/"))
    assert '<option value="" selected>Choisissez…</option>' in html
    assert '<option value="Acheteur public">' in html  # offered, not pre-selected
    response = client.post(
        "/fr/contact/",
        {"nom": "Claire Exemple", "adresse_e_mail": "claire@example.org", "message": "Bonjour"},
    )
    assert 'id="id_vous_etes-error"' in text(response)
    assert FormSubmission.objects.count() == 0


def test_control_characters_and_unsendable_addresses_are_refused(client, contact):
    response = client.post(
        "/fr/contact/",
        {"nom": "Claire\x07", "adresse_e_mail": '"a\x1cb"@example.org', "message": "Bonjour"},
    )
    html = text(response)
    assert "Le formulaire contient 2 erreurs" in html
    assert "caractère invisible non autorisé (U+0007)" in html
    assert FormSubmission.objects.count() == 0
    response = client.post(
        "/fr/contact/",
        {
            "nom": "Claire",
            "adresse_e_mail": "claire@example.org",
            "message": "Bonjour,\r\n\tà bientôt",
        },
    )
    assert "Merci" in text(response)
    assert FormSubmission.objects.get().get_data()["message"] == "Bonjour,\r\n\tà bientôt"


def test_the_submissions_export_carries_no_formula(client, admin_client, contact):
    client.post(
        "/fr/contact/",
        {"nom": "=1+1", "adresse_e_mail": "claire@example.org", "message": "@SUM(A1)"},
    )
    response = admin_client.get(f"/admin/forms/submissions/{contact.pk}/", {"export": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert "'=1+1" in body and "'@SUM(A1)" in body
    assert ",=1+1" not in body
