import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from wagtail.models import Page

from conftest import text
from news.models import NewsPage
from portal.models import GuidanceDocument, HomePage, ResultsPage

pytestmark = pytest.mark.django_db


def test_seed_demo_builds_the_site_once(client, locales):
    call_command("seed_demo", stdout=io.StringIO())
    pages = Page.objects.count()
    documents = GuidanceDocument.objects.count()
    assert HomePage.objects.count() == 2  # French and English
    assert NewsPage.objects.filter(locale=locales["fr"]).count() >= 6
    assert sorted(
        ResultsPage.objects.filter(locale=locales["fr"]).values_list("year", flat=True)
    ) == [
        2024,
        2025,
    ]
    assert {d.file_extension for d in GuidanceDocument.objects.all()} >= {"xlsx", "pdf", "odt"}
    assert get_user_model().objects.get(username="admin").is_superuser

    # "Mon équipe" shows a pending invitation: the Marseille PLIE's facilitator, not e-mailed.
    from accounts.models import Invitation

    pending = Invitation.objects.get()
    assert pending.pending and pending.invited_by.username == "coordination.13"
    assert pending.facilitator.structure.name == "PLIE Marseille Provence Métropole Centre"
    assert pending.user.facilitator == pending.facilitator
    assert not pending.user.has_usable_password()

    call_command("seed_demo", stdout=io.StringIO())
    assert Page.objects.count() == pages
    assert GuidanceDocument.objects.count() == documents
    assert Invitation.objects.count() == 1

    html = text(client.get("/fr/"))
    # The national figures are the sum of the demo structures' validated reports.
    assert "1 190 470" in html.replace("\xa0", " ").replace("\u202f", " ")
    # 2026 is a campaign under way: provisional; the public default stays 2025.
    from observatory import consolidation

    assert consolidation.default_year() == 2025
    assert consolidation.publication(2026).provisional
    assert client.get("/fr/observatoire/").url == "/fr/observatoire/2025/"
    assert client.get("/api/v1/results/").json()["year"] == 2025
    assert "Site de démonstration" in html
    english = text(client.get("/en/"))
    assert "Public procurement working for local jobs" in english
    assert "Demonstration site" in english
    for url in [
        "/fr/comprendre/clause-insertion/",
        "/en/understanding-social-clauses/",
        "/fr/resultats/2025/",
        "/en/results/2024/",
        "/fr/guides/",
        "/fr/contact/",
        "/en/contact/",
        "/fr/accessibilite/",
        "/en/accessibility/",
        "/fr/actualites/",
        "/fr/donnees-ouvertes/",
        "/en/open-data/",
        "/fr/annuaire/",
        "/en/directory/communes/59512/",
    ]:
        assert client.get(url).status_code == 200, url


def test_generated_files_are_real_documents(db, locales):
    import io
    import zipfile

    from openpyxl import load_workbook

    from demo import files

    book = load_workbook(io.BytesIO(files.hours_statement_xlsx()))
    sheet = book["Relevé mensuel"]
    assert sheet["A1"].value == "Relevé mensuel des heures d'insertion"
    assert sheet["G41"].value == "=SUM(G11:G40)"
    archive = zipfile.ZipFile(io.BytesIO(files.odt("Clause", ["# Article", "Texte"])))
    assert archive.namelist()[0] == "mimetype"
    assert b"<text:h" in archive.read("content.xml")
    pdf = files.pdf("Guide", ["# Titre", "Un texte accentué : é, è, à, œ."] * 60)
    assert pdf.startswith(b"%PDF-1.4") and pdf.rstrip().endswith(b"%%EOF")
    count = int(pdf.split(b"/Count ")[1].split()[0])
    assert count > 1  # long text flows onto several pages
