"""Builds the demo site. Every step looks for what it would create first, so running it twice
changes nothing."""

import io
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Site
from wagtail.search import index as search_index
from wagtail.users.models import UserProfile

from directory.names import normalise
from news.models import NewsCategory, NewsIndexPage, NewsPage
from portal.models import (
    Audience,
    ContactFormField,
    ContactPage,
    FooterLink,
    GuidanceDocument,
    GuidanceIndexPage,
    HomePage,
    ResultsIndexPage,
    ResultsPage,
    SiteSettings,
    StandardPage,
)

from . import content, files

DEMO_ADMIN = ("admin", "changeme")
DEMO_COORDINATOR = ("coordination", "changeme")  # the national coordination: everything
# Departmental coordinations: (login, password, coordination, invented first and last names).
DEMO_COORDINATIONS = [
    (
        "coordination.95",
        "changeme",
        "Coordination départementale des clauses sociales du Val-d'Oise",
        ("Agathe", "Morel"),
    ),
    (
        "coordination.13",
        "changeme",
        "Coordination départementale des clauses sociales des Bouches-du-Rhône",
        ("Bastien", "Royer"),
    ),
]
NATIONAL = "Coordination nationale des clauses sociales"
# The Arles PLIE's facilitator (lead for Tarascon, Arles…): sees the requests sent to her.
DEMO_FACILITATOR = ("facilitatrice.arles", "changeme")
# Its facilitator is invited by the Bouches-du-Rhône's coordination, invitation pending.
DEMO_PENDING_INVITATION = "PLIE Marseille Provence Métropole Centre"
# The editorial roles (portal.editorial): a writer who submits, a moderator who publishes.
DEMO_WRITER = ("redacteur", "changeme")
DEMO_MODERATOR = ("moderateur", "changeme")


class DemoBuilder:
    def __init__(self, log=print):
        self.log = log
        self.created = 0
        self.fr, _ = Locale.objects.get_or_create(language_code="fr")
        self.en, _ = Locale.objects.get_or_create(language_code="en")

    # -- generic helpers ------------------------------------------------------------------

    def child(self, parent, model, slug, **fields):
        """The live child `slug` of `parent`, created and published if missing."""
        existing = model.objects.child_of(parent).filter(slug=slug).first()
        if existing:
            return existing
        page = model(slug=slug, locale=parent.locale, **fields)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created += 1
        return page

    def translate(self, page, locale, **fields):
        """The translation of `page` in `locale`, created from `fields` and published if missing."""
        existing = page.get_translation_or_none(locale)
        if existing:
            return existing.specific
        translation = page.copy_for_translation(locale)
        for name, value in fields.items():
            setattr(translation, name, value)
        translation.save()
        translation.save_revision().publish()
        self.created += 1
        return translation

    def index_page(self, home, model, texts):
        """A section page under the home, in the menu, with its English translation."""
        fr = texts["fr"]
        page = self.child(
            home, model, fr["slug"], title=fr["title"], intro=fr["intro"], show_in_menus=True
        )
        self.translate(page, self.en, **texts["en"])
        return page

    # -- steps ----------------------------------------------------------------------------

    @transaction.atomic
    @override_settings(WAGTAILREDIRECTS_AUTO_CREATE=False)  # translated slugs are not moves
    def build(self):
        images = self.images()
        documents = self.documents()
        refs = {"images": images, "documents": documents}
        home = self.home()
        explainer = self.explainer(home, refs)
        self.directory(home)
        self.map_page(home)
        news = self.news(home)
        results = self.results(home)
        guidance = self.guidance(home)
        contact = self.contact(home)
        legal = self.legal(home)
        self.finish_home(home, explainer, guidance)
        self.settings(home, contact, legal)
        self.tools(home, legal)
        self.admin_user()
        self.facilitator_user()
        self.pending_invitation()
        self.agenda(home)
        self.editorial_users()
        del news, results
        return self.created

    def images(self):
        Image = get_image_model()
        drawings = {
            "worksite": ("Chantier (illustration)", "#0a4a82", "#ffbf47"),
            "map": ("Carte (illustration)", "#06335b", "#8fd3c3"),
            "meeting": ("Rencontre (illustration)", "#a3360b", "#f3f5f8"),
        }
        result = {}
        for key, (title, background, accent) in drawings.items():
            image = Image.objects.filter(title=title).first()
            if image is None:
                canvas = PILImage.new("RGB", (1200, 630), background)
                draw = ImageDraw.Draw(canvas)
                for index in range(6):
                    x = 120 + index * 170
                    draw.rectangle([x, 630 - 90 - index * 55, x + 120, 630], fill=accent)
                draw.ellipse([900, 60, 1080, 240], outline=accent, width=14)
                stream = io.BytesIO()
                canvas.save(stream, "PNG")
                image = Image(title=title)
                image.file = ImageFile(io.BytesIO(stream.getvalue()), name=f"{key}.png")
                image.save()
                self.created += 1
            result[key] = image.pk
        return result

    def drawing(self, title, filename, motif, background, accent):
        """The demo image `title`, drawn (demo.files.illustration) if missing."""
        Image = get_image_model()
        image = Image.objects.filter(title=title).first()
        if image is None:
            png = files.illustration(motif, background, accent)
            image = Image(title=title)
            image.file = ImageFile(io.BytesIO(png), name=filename)
            image.save()
            self.created += 1
        return image

    def documents(self):
        builders = {
            "hours_statement": files.hours_statement_xlsx,
            "model_clause": lambda: files.odt(
                "Clause type d'insertion – marché de travaux", content.MODEL_CLAUSE
            ),
            "certificate": lambda: files.odt(
                "Attestation de réalisation des heures d'insertion", content.CERTIFICATE
            ),
            "company_guide": lambda: files.pdf(
                "Guide de la clause sociale pour les entreprises", content.GUIDE
            ),
        }
        result = {}
        for spec in content.DOCUMENTS:
            document = GuidanceDocument.objects.filter(title=spec["title"]).first()
            if document is None:
                document = GuidanceDocument(
                    title=spec["title"],
                    description=spec["description"],
                    doc_type=spec["doc_type"],
                )
                document.file = ContentFile(builders[spec["builder"]](), name=spec["filename"])
                document.save()
                document.audiences.set(Audience.objects.filter(code__in=spec["audiences"]))
                search_index.insert_or_update_object(document)  # with its audiences
                self.created += 1
            result[spec["key"]] = document.pk
        return result

    def home(self):
        root = Page.get_first_root_node()
        home = HomePage.objects.filter(locale=self.fr).first()
        if home is None:
            # Wagtail's own welcome page would take the home slot and the "home" slug.
            for page in root.get_children().filter(content_type__model="page"):
                page.delete()
            fr = content.HOME["fr"]
            home = HomePage(slug="accueil", locale=self.fr, **fr)
            root.add_child(instance=home)
            home.save_revision().publish()
            self.created += 1
        site = Site.objects.filter(is_default_site=True).first() or Site(is_default_site=True)
        hostname, port = served_address()
        if (site.root_page_id, site.hostname, site.port) != (home.pk, hostname, port):
            site.root_page = home
            site.hostname, site.port = hostname, port
            site.site_name = content.ORGANISATION["organisation_name"]
            site.save()
        self.translate(home, self.en, slug="home", **content.HOME["en"])
        return home

    def explainer(self, home, refs):
        fr = content.EXPLAINER_INDEX["fr"]
        index = self.child(
            home,
            StandardPage,
            fr["slug"],
            title=fr["title"],
            intro=fr["intro"],
            show_in_menus=True,
            body=[content.para(fr["body"])],  # the intro is shown above it, once
        )
        en = content.EXPLAINER_INDEX["en"]
        self.translate(
            index,
            self.en,
            slug=en["slug"],
            title=en["title"],
            intro=en["intro"],
            body=[content.para(en["body"])],
        )
        pages = []
        for spec in content.explainer_pages(refs):
            page = self.child(
                index, StandardPage, spec["fr"]["slug"], **_without(spec["fr"], "slug")
            )
            self.translate(page, self.en, **spec["en"])
            pages.append(page)
        return index, pages

    def news(self, home):
        index = self.index_page(home, NewsIndexPage, content.NEWS_INDEX)
        categories = []
        for spec in content.CATEGORIES:
            name, slug = spec["fr"]
            category = NewsCategory.objects.filter(locale=self.fr, slug=slug).first()
            if category is None:
                category = NewsCategory.objects.create(locale=self.fr, name=name, slug=slug)
                self.created += 1
            if not category.has_translation(self.en):
                translation = category.copy_for_translation(self.en)
                translation.name, translation.slug = spec["en"]
                translation.save()
            categories.append(category)
        for day, category_index, image_key, tags, texts in content.news_items():
            category = categories[category_index]
            fr_text = texts["fr"]
            image_title, motif, colours, alt = content.NEWS_IMAGES[image_key]
            article = NewsPage.objects.child_of(index).filter(slug=fr_text["slug"]).first()
            if article is None:
                article = NewsPage(
                    locale=self.fr,
                    date=date.fromisoformat(day),
                    category=category,
                    image=self.drawing(image_title, f"{image_key}.png", motif, *colours),
                    image_alt=alt["fr"],
                    image_credit=content.IMAGE_CREDIT["fr"],
                    **fr_text,
                )
                article.tags.add(*tags)
                index.add_child(instance=article)
                article.save_revision().publish()
                self.created += 1
            if "en" in texts and not article.has_translation(self.en):
                translation = self.translate(
                    article,
                    self.en,
                    category=category.get_translation(self.en),
                    image_alt=alt["en"],
                    image_credit=content.IMAGE_CREDIT["en"],
                    **texts["en"],
                )
                translation.tags.set([content.TAGS_EN.get(tag, tag) for tag in tags])
                translation.save_revision().publish()
        return index

    def results(self, home):
        index = self.index_page(home, ResultsIndexPage, content.RESULTS_INDEX)
        for year in content.RESULTS_YEARS:
            page = ResultsPage.objects.child_of(index).filter(year=year).first()
            if page is None:
                texts = content.RESULTS_TEXT["fr"]
                page = ResultsPage(
                    locale=self.fr,
                    slug=str(year),
                    year=year,
                    title=texts["title"].format(year=year),
                    intro=texts["intro"].format(year=year),
                    notes=texts["notes"],
                )
                index.add_child(instance=page)
                page.save_revision().publish()
                self.created += 1
            texts = content.RESULTS_TEXT["en"]
            self.translate(
                page,
                self.en,
                title=texts["title"].format(year=year),
                intro=texts["intro"].format(year=year),
                notes=texts["notes"],
            )
        return index

    def guidance(self, home):
        return self.index_page(home, GuidanceIndexPage, content.GUIDANCE_INDEX)

    def contact(self, home):
        fr, en = content.CONTACT["fr"], content.CONTACT["en"]
        page = ContactPage.objects.child_of(home).filter(slug=fr["slug"]).first()
        if page is None:
            page = ContactPage(
                locale=self.fr,
                slug=fr["slug"],
                title=fr["title"],
                intro=fr["intro"],
                thank_you_text=fr["thank_you_text"],
                show_in_menus=True,
                to_address="contact@example.org",
                from_address="portail@example.org",
                subject="Nouveau message depuis le portail",
            )
            page.form_fields = [
                ContactFormField(
                    label=label,
                    field_type=kind,
                    required=required,
                    choices=choices,
                    help_text=help_,
                )
                for label, kind, required, choices, help_ in fr["fields"]
            ]
            home.add_child(instance=page)
            page.save_revision().publish()
            self.created += 1
        translation = page.get_translation_or_none(self.en)
        if translation is None:
            translation = page.copy_for_translation(self.en)
            translation.title, translation.intro = en["title"], en["intro"]
            translation.thank_you_text = en["thank_you_text"]
            translation.save()
            self.created += 1
        else:
            translation = translation.specific
        # The form fields are rows of their own: each is saved, so the English page asks its
        # questions in English (a demo built before this fix is repaired on the next run).
        changed = False
        for field, (label, _kind, _required, choices, help_) in zip(
            translation.form_fields.order_by("sort_order"), en["fields"], strict=True
        ):
            wanted = {"label": label, "help_text": help_, "choices": choices or field.choices}
            if any(getattr(field, name) != value for name, value in wanted.items()):
                # Keep the French clean_name so submissions line up across languages.
                ContactFormField.objects.filter(pk=field.pk).update(**wanted)
                changed = True
        if changed or not translation.live:
            translation = ContactPage.objects.get(pk=translation.pk)  # fields read afresh
            translation.save_revision().publish()
        return page

    def directory(self, home):
        from directory.models import DirectoryPage

        return self.index_page(home, DirectoryPage, content.DIRECTORY)

    def map_page(self, home):
        from maps.models import MapPage

        return self.index_page(home, MapPage, content.MAP)

    def legal(self, home):
        pages = []
        for spec in [*content.LEGAL_PAGES, content.OPEN_DATA]:
            page = self.child(
                home, StandardPage, spec["fr"]["slug"], **_without(spec["fr"], "slug")
            )
            self.translate(page, self.en, **spec["en"])
            pages.append(page)
        return pages

    def finish_home(self, home, explainer, guidance):
        index, pages = explainer
        if home.explainer_page_id is None:
            home.explainer_page = index
            home.guidance_page = guidance
            home.body = [content.home_cards("fr", pages)]
            home.save_revision().publish()
        english = home.get_translation(self.en).specific
        if english.explainer_page_id is None:
            english.explainer_page = index
            english.guidance_page = guidance
            english.body = [content.home_cards("en", pages)]
            english.save_revision().publish()

    def settings(self, home, contact, legal):
        site = Site.objects.get(root_page=home)
        settings = SiteSettings.for_site(site)
        if not settings.email:
            for name, value in content.ORGANISATION.items():
                setattr(settings, name, value)
            settings.contact_page = contact
            settings.demo_notice = True
            settings.footer_links = [FooterLink(page=page) for page in legal] + [
                FooterLink(page=contact)
            ]
            settings.save()
            self.created += 1

    def tools(self, home, legal):
        """The insertion-hours calculator and the "send my project" form (not in the menu:
        reached from the home page, the map's answers and each other), and the calculator's
        sectors in the site settings."""
        from portal import calculator
        from portal.models import CalculatorPage, SectorShare
        from referrals.models import ReferralPage

        privacy = next((page for page in legal if page.slug == "donnees-personnelles"), None)
        for model, texts, extra in (
            (CalculatorPage, content.CALCULATOR, {}),
            (ReferralPage, content.REFERRAL, {"privacy_page": privacy}),
        ):
            fr = texts["fr"]
            page = self.child(
                home, model, fr["slug"], title=fr["title"], intro=fr["intro"], **extra
            )
            self.translate(page, self.en, **texts["en"])
        settings = SiteSettings.for_site(Site.objects.get(root_page=home))
        if not settings.sector_shares.exists():
            for order, (label, label_en, share) in enumerate(calculator.DEFAULT_SECTORS):
                SectorShare.objects.create(
                    settings=settings,
                    sort_order=order,
                    label=label,
                    label_en=label_en,
                    labour_share=share,
                )
            self.created += 1

    def facilitator_user(self):
        from django.contrib.auth.models import Group

        from directory.groups import FACILITATORS
        from directory.models import Facilitator

        User = get_user_model()
        username, password = DEMO_FACILITATOR
        if User.objects.filter(username=username).exists():
            return
        facilitator = Facilitator.objects.filter(
            structure__name="PLIE Arles Crau Camargue Montagnette"
        ).first()
        if facilitator is None:
            return
        user = User.objects.create_user(
            username,
            facilitator.email,
            password,
            first_name=facilitator.first_name,
            last_name=facilitator.last_name,
        )
        user.groups.add(Group.objects.get(name=FACILITATORS))
        profile = UserProfile.get_for_user(user)
        profile.preferred_language = "fr"
        profile.save()
        facilitator.user = user
        facilitator.save_revision().publish()  # the link lives in the record's revisions too
        self.created += 1

    def pending_invitation(self):
        """The facilitator of the Marseille PLIE (Centre), invited by the Bouches-du-Rhône's
        coordination and not answered yet, so that "Mon équipe" shows every state of an
        account. Recorded, never e-mailed (its link is the demo's own)."""
        from accounts.invitations import account_with_email, invite_facilitator
        from directory.models import Facilitator

        record = Facilitator.objects.filter(
            structure__name=DEMO_PENDING_INVITATION, user__isnull=True
        ).first()
        inviter = get_user_model().objects.filter(username=DEMO_COORDINATIONS[1][0]).first()
        if record is None or inviter is None or account_with_email(record.email) is not None:
            return
        invite_facilitator(record, email=record.email, invited_by=inviter, send=False)
        self.created += 1

    def editorial_users(self):
        from django.contrib.auth.models import Group

        from portal.editorial import MODERATORS, WRITERS, ensure_editorial_roles

        ensure_editorial_roles()
        User = get_user_model()
        for (username, password), group, first_name, email in (
            (DEMO_WRITER, WRITERS, "Rédaction", "redaction@example.org"),
            (DEMO_MODERATOR, MODERATORS, "Modération", "moderation@example.org"),
        ):
            if User.objects.filter(username=username).exists():
                continue
            user = User.objects.create_user(username, email, password, first_name=first_name)
            user.groups.add(Group.objects.get(name=group))
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = "fr"
            profile.save()
            self.created += 1

    def admin_user(self):
        User = get_user_model()
        username, password = DEMO_ADMIN
        if not User.objects.filter(username=username).exists():
            user = User.objects.create_superuser(username, "admin@example.org", password)
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = "fr"  # coordinators work in French
            profile.save()
            self.created += 1
        username, password = DEMO_COORDINATOR
        self.coordinator(username, password, NATIONAL, ("Coordination", "nationale"))
        for username, password, coordination, names in DEMO_COORDINATIONS:
            self.coordinator(username, password, coordination, names)

    def coordinator(self, username, password, coordination_name, names):
        """A member of the Coordinateurs group and of `coordination_name` (also added when the
        account already exists, from an older demo)."""
        from django.contrib.auth.models import Group

        from directory.groups import COORDINATORS
        from directory.models import Coordination

        User = get_user_model()
        coordination = Coordination.objects.filter(name=coordination_name).first()
        user = User.objects.filter(username=username).first()
        if user is None:
            first, last = names
            address = f"{normalise(first)}.{normalise(last)}@example.org".replace(" ", "")
            user = User.objects.create_user(
                username, address, password, first_name=first, last_name=last
            )
            user.groups.add(Group.objects.get(name=COORDINATORS))
            profile = UserProfile.get_for_user(user)
            profile.preferred_language = "fr"
            profile.save()
            self.created += 1
        if coordination is not None and not coordination.members.filter(pk=user.pk).exists():
            coordination.members.add(user)

    def agenda(self, home):
        """The agenda and its demo events (past and upcoming), in French and English. An
        upcoming demo event that has passed since the last run moves to its date from today."""
        from directory.models import Territory
        from events.models import EventIndexPage, EventPage

        index = self.index_page(home, EventIndexPage, content.AGENDA)
        today = timezone.localdate()
        for spec in content.events():
            fr, en = spec["fr"], spec["en"]
            dates = _event_dates(spec, today)
            event = EventPage.objects.child_of(index).filter(slug=fr["slug"]).first()
            if event is None:
                event = EventPage(
                    locale=self.fr,
                    category=spec["category"],
                    departement=Territory.objects.filter(
                        kind=Territory.Kind.DEPARTEMENT, code=spec["departement"] or ""
                    ).first(),
                    latitude=spec.get("latitude"),
                    longitude=spec.get("longitude"),
                    online_url=spec.get("online_url", ""),
                    registration_url=spec.get("registration_url", ""),
                    **dates,
                    **fr,
                )
                event.audiences = list(Audience.objects.filter(code__in=spec["audiences"]))
                index.add_child(instance=event)
                event.save_revision().publish()
                self.created += 1
            elif spec["days"] > 0 and event.end < timezone.now():
                for page in [event, *event.get_translations()]:
                    page = page.specific
                    for name, value in dates.items():
                        setattr(page, name, value)
                    page.save_revision().publish()
                self.created += 1
            self.translate(event, self.en, **en)
        return index


def _event_dates(spec, today):
    """The start, end, all-day flag and registration deadline of a demo event, `spec["days"]`
    days from `today`, in Paris time."""
    day = today + timedelta(days=spec["days"])
    while day.weekday() >= 5:  # meetings happen on working days
        day += timedelta(days=1)

    def at(clock, on=day):
        return timezone.make_aware(datetime.combine(on, time.fromisoformat(clock)))

    if spec["start"] == "all-day":
        dates = {"all_day": True, "start": at("00:00"), "end": at("00:00")}
    else:
        dates = {"all_day": False, "start": at(spec["start"]), "end": at(spec["end"])}
    if spec.get("registration_days"):
        on = day - timedelta(days=spec["registration_days"])
        dates["registration_deadline"] = at("18:00", on)
    return dates


def served_address():
    """(hostname, port) of WAGTAILADMIN_BASE_URL, where the demo is served: the Site record
    carries it so that the sitemap, the feeds and e-mails link to the address that answers."""
    from urllib.parse import urlsplit

    from django.conf import settings

    url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    return url.hostname or "localhost", url.port or (443 if url.scheme == "https" else 80)


def _without(mapping, *keys):
    return {key: value for key, value in mapping.items() if key not in keys}
