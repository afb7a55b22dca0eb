import pytest

from conftest import publish_child
from portal.models import ContactFormField, ContactPage


@pytest.fixture
def contact_page(home):
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
