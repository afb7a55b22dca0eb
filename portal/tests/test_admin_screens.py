"""The admin of the seeded demo, as each demo role sees it.

- Editors have the tools their pages need: every page type's edit form opens for the
  rédacteur and the modérateur, and every chooser it offers answers, with the demo's items.
- French screens speak French: the main screens of every role, rendered in French, show none
  of the English words an untranslated string would leave (matched as whole words in the
  text a person reads or hears). English content of the demo (the English pages' titles…)
  is taken out first: it is data, not the admin's words."""

import html
import io
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Locale, Page, Site

ROLES = [
    "admin",
    "coordination",
    "coordination.95",
    "coordination.13",
    "facilitatrice.arles",
    "redacteur",
    "moderateur",
]
EDITORS = ["redacteur", "moderateur"]

# English words that never belong on a French screen (French words spelt the same, like
# "Actions", "Documents", "Page", "Type", "Date", "Menu", "Public", "Import", are left out).
ENGLISH_WORDS = """
    Password Status Edit Delete Save Cancel Search Add Publish Unpublish Submit Settings Title
    Draft Preview Back Next Previous Filter Filters Username Login Logout Account Profile
    Choose Select Yes Update Create Created Users Groups Help Dashboard Reports Locale Locales
    Language Languages Live Copy Move History Revisions Comments Upload Download Clear Show
    Hide Remove View Required Optional Owner Author Approve Reject Items Snippets Translate Sync
    Submitted Scheduled Expired Private Collapse Expand Toggle Loading Error Warning Success
    Any Unknown Enabled Disabled Current Latest Changes Lock Unlock Locked Unlocked Reset
    Confirm Skip Done Apply Forgot Remember Hello Welcome Explore Sort Order Email Workflow
""".split()  # noqa: SIM905 (a word list reads best as text)
ENGLISH_PHRASES = ["Log in", "Sign in", "Log out", "Sign out", "First name", "Last name"]
# French that depends on a gender the sentence does not know, or is plain wrong.
WRONG_FRENCH = re.compile(r"\w\((e|es|le|tte|s)\)|\bun\(e\)|\b(Seul les|Salut)\b")
PATTERN = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH_PHRASES + ENGLISH_WORDS) + r")(?![\w-])"
)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The whole demo, seeded once for this module and rolled back afterwards."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def page_types():
    """One French page of each type the demo has, by class name."""
    found = {}
    for page in Page.objects.filter(depth__gt=1, locale__language_code="fr").specific():
        found.setdefault(type(page).__name__, page)
    return found


# -- Editors' tools ----------------------------------------------------------------------

CHOOSER = re.compile(r"/admin/[\w/-]*choose[\w/-]*/|/admin/agenda/departements/")


def chooser_urls(html):
    return set(CHOOSER.findall(html.replace("\\/", "/")))


def listed(response):
    """What a chooser lists (the modal's HTML comes inside JSON)."""
    body = response.content.decode()
    if response["Content-Type"].startswith("application/json"):
        body = json.loads(body).get("html", "")
    return html.unescape(body)


@pytest.mark.django_db
@pytest.mark.parametrize("username", EDITORS)
def test_editors_open_every_page_type_and_every_chooser_it_needs(client, demo, username):
    login(client, username)
    types = page_types()
    assert len(types) >= 12  # every page type of the demo
    choosers = set()
    for name, page in types.items():
        response = client.get(f"/admin/pages/{page.pk}/edit/")
        assert response.status_code == 200, (username, name)
        choosers |= chooser_urls(response.content.decode())
    # The choosers the demo's pages use, each with the demo's items.
    expected_items = {
        "/admin/images/chooser/": "Chantier",
        "/admin/documents/chooser/": "Guide",
        "/admin/choose-page/": "Accueil",
        "/admin/snippets/choose/news/newscategory/": "Réseau",
        "/admin/agenda/departements/": "Val-d'Oise",
    }
    assert set(expected_items) <= choosers, choosers
    for url in sorted(choosers):
        response = client.get(url)
        assert response.status_code == 200, (username, url)
        if url in expected_items:
            assert expected_items[url] in listed(response), (username, url)
    for url in ("/admin/documents/", "/admin/images/", "/admin/documents/add/"):
        assert client.get(url).status_code == 200, (username, url)
    news = types["NewsPage"]
    translate = client.get(f"/admin/localize/submit/page/{news.pk}/")
    assert translate.status_code == 200, username


# -- French screens ----------------------------------------------------------------------


def visible_texts(html):
    """What a person reads or hears on the page: text outside scripts, templates and hidden
    elements, and the accessible names (alt, title, aria-label, placeholder)."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup(["script", "style", "template", "noscript", "svg", "title"]):
        element.decompose()
    for element in soup.select("[hidden]"):
        element.decompose()
    segments = [line.strip() for line in soup.get_text("\n").splitlines() if line.strip()]
    for element in soup.find_all(True):
        for attribute in ("alt", "title", "aria-label", "placeholder"):
            if element.get(attribute):
                segments.append(element[attribute])
        # Wagtail's dashboard and listing search forms carry a hard-coded, screen-reader only
        # "Search" button (not marked for translation upstream): left out.
        button = element.name == "input" and element.get("type") in ("submit", "button")
        if button and not element.find_parent(class_="w-sr-only"):
            segments.append(element.get("value", ""))
    return segments


def english_data():
    """English content of the demo (titles of English pages and snippets, English names of
    the languages): data, longest first."""
    from news.models import NewsCategory

    english = Locale.objects.get(language_code="en")
    texts = set(Page.objects.filter(locale=english).values_list("title", flat=True))
    texts |= set(NewsCategory.objects.filter(locale=english).values_list("name", flat=True))
    texts |= {"English"}
    return sorted(texts, key=len, reverse=True)


def english_words(segment, data=()):
    for text in data:
        segment = segment.replace(text, " ")
    return PATTERN.findall(segment)


def main_screens():
    """The admin's main screens, with one object of each kind from the demo (each role
    opens those it may; the others answer with a redirect or a 404)."""
    from directory.models import Facilitator, Structure
    from observatory.models import StructureReport
    from referrals.models import ProjectRequest

    types = page_types()
    news, home = types["NewsPage"], types["HomePage"]
    urls = [
        "/admin/",
        "/admin/account/",
        "/admin/double-authentification/activer/",
        "/admin/pages/",
        f"/admin/pages/{home.pk}/",
        f"/admin/pages/{news.get_parent().pk}/",
        f"/admin/pages/{news.pk}/history/",
        "/admin/pages/search/?q=clause",
        f"/admin/localize/submit/page/{news.pk}/",
        "/admin/documents/",
        "/admin/documents/add/",
        "/admin/images/",
        "/admin/images/add/",
        "/admin/reports/workflow/",
        "/admin/reports/workflow_tasks/",
        "/admin/reports/site-history/",
        "/admin/reports/locked/",
        "/admin/reports/aging-pages/",
        "/admin/snippets/news/newscategory/",
        "/admin/snippets/news/newscategory/add/",
        "/admin/users/",
        "/admin/users/new/",
        "/admin/groups/",
        "/admin/locales/",
        "/admin/workflows/list/",
        "/admin/workflows/tasks/index/",
        "/admin/sites/",
        "/admin/collections/",
        "/admin/redirects/",
        "/admin/forms/",
        f"/admin/settings/portal/sitesettings/{Site.objects.get(is_default_site=True).pk}/",
        "/admin/demandes/",
        "/admin/demandes/chiffres/",
        "/admin/signalements/",
        "/admin/directory/white-zones/",
        "/admin/directory/import/",
        "/admin/observatory/xlsx/",
    ]
    urls += [f"/admin/pages/{page.pk}/edit/" for page in types.values()]
    for model in (
        "facilitator",
        "structure",
        "contractingauthority",
        "leaddesignation",
        "coordination",
        "namedperimeter",
        "territorychange",
    ):
        urls += [f"/admin/snippets/directory/{model}/", f"/admin/snippets/directory/{model}/add/"]
    urls += ["/admin/snippets/observatory/structurereport/"]
    arles = Facilitator.objects.get(user__username="facilitatrice.arles")
    urls += [
        f"/admin/snippets/directory/facilitator/edit/{arles.pk}/",
        f"/admin/snippets/directory/structure/edit/{arles.structure_id}/",
        f"/admin/snippets/directory/structure/edit/{Structure.objects.order_by('pk')[0].pk}/",
    ]
    report = StructureReport.objects.filter(structure=arles.structure).first()
    if report is not None:
        urls.append(f"/admin/snippets/observatory/structurereport/edit/{report.pk}/")
    for project in ProjectRequest.objects.order_by("pk")[:3]:
        urls.append(f"/admin/demandes/edit/{project.pk}/")
    return urls


# Screens that show what the project does not write: Django's permission names (stored in
# English by Django itself) on the group editor.
NOT_CHECKED = ["/admin/groups/new/", "/admin/groups/edit/"]


@pytest.mark.django_db
def test_the_main_admin_screens_of_every_role_are_in_french(client, demo):
    data = english_data()
    urls = main_screens()
    problems, served = [], {}
    for username in ROLES:
        login(client, username)
        served[username] = 0
        for url in urls:
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
            if response.status_code != 200 or any(url.startswith(n) for n in NOT_CHECKED):
                continue
            served[username] += 1
            for segment in visible_texts(response.content.decode()):
                found = english_words(segment, data)
                if found or WRONG_FRENCH.search(segment):
                    problems.append(f"{username} {url}: {segment[:100]!r} ({', '.join(found)})")
    # Every role saw a fair share of the admin (the check is not run on redirects).
    assert all(count >= 8 for count in served.values()), served
    assert served["admin"] >= 50 and served["redacteur"] >= 25, served
    assert not problems, "English on French admin screens:\n" + "\n".join(sorted(set(problems)))


@pytest.mark.django_db
def test_the_login_and_password_pages_are_in_french(client, demo):
    problems = []
    for url in ("/admin/login/", "/admin/password_reset/", "/admin/password_reset/done/"):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr")
        assert response.status_code == 200, url
        for segment in visible_texts(response.content.decode()):
            if english_words(segment):
                problems.append(f"{url}: {segment!r}")
    assert not problems, problems
    assert "Mot de passe" in client.get("/admin/login/").content.decode()


def test_the_check_finds_english_words_and_only_them():
    html = (
        '<html lang="fr"><body><label>Password</label><button>Enregistrer</button>'
        '<p aria-label="Edit this item">Statut : publiée</p><p hidden>Status</p>'
        '<div class="w-sr-only"><input type="submit" value="Search"></div>'
        '<input type="submit" value="Save"><p>Home</p></body></html>'
    )
    found = [english_words(segment, ["Home"]) for segment in visible_texts(html)]
    assert sorted(word for words in found for word in words) == ["Edit", "Password", "Save"]
    assert WRONG_FRENCH.search("Ajouter un(e) catégorie") and WRONG_FRENCH.search("Publié(e)")
    assert not WRONG_FRENCH.search("Modifications (2) enregistrées")


@pytest.mark.django_db
def test_seed_demo_and_migrate_leave_only_the_projects_groups_and_workflows(demo):
    """Wagtail's own Editors, Moderators and "Moderators approval" are gone from a fresh
    database once seeded and migrated again: what the portal's groups and workflows do is
    all there is."""
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Task, Workflow, WorkflowContentType, WorkflowPage

    from directory.groups import WORKFLOW as RECORDS_WORKFLOW
    from directory.models import Facilitator, Structure
    from portal.editorial import MODERATORS, WORKFLOW, WRITERS

    call_command("migrate", verbosity=0)
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(
        ["Coordinateurs", "Facilitateurs", MODERATORS, WRITERS]
    )
    assert set(Workflow.objects.values_list("name", flat=True)) == {WORKFLOW, RECORDS_WORKFLOW}
    assert not Task.objects.filter(name="Moderators approval").exists()
    assert WorkflowPage.objects.get(page=Page.get_first_root_node()).workflow.name == WORKFLOW
    for model in (Facilitator, Structure):
        assigned = WorkflowContentType.objects.get(
            content_type=ContentType.objects.get_for_model(model)
        )
        assert assigned.workflow.name == RECORDS_WORKFLOW
    users = get_user_model().objects
    assert users.get(username="redacteur").groups.filter(name=WRITERS).exists()
    assert users.get(username="moderateur").groups.filter(name=MODERATORS).exists()
