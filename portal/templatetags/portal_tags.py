"""Template tags for the site's frame: home, menu, breadcrumbs, language switcher, numbers."""

import re
from decimal import Decimal

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import Locale, Page, Site

from portal import pagecache
from portal.numbers import format_number

register = template.Library()


def _home(request):
    """The home page of the request's site, in the active language when translated."""
    site = Site.find_for_request(request) if request else None
    if site is None:
        return None
    return site.root_page.localized.specific


@register.simple_tag(takes_context=True)
def frame_key(context, per_page=True):
    """What the site's frame (header, footer) depends on, for `{% cache %}`: the page cache's
    version (moved on by every publish, see `portal.pagecache`), the host, the language, and
    the page (or, outside Wagtail pages, the address)."""
    request = context.get("request")
    page = context.get("page")
    where = f"page{page.pk}" if isinstance(page, Page) else (request and request.get_full_path())
    if not per_page:
        where = ""
    host = request.get_host() if request else ""
    return f"{pagecache.version()}:{host}:{get_language()}:{where}"


@register.simple_tag
def frame_seconds():
    return settings.PAGE_CACHE_SECONDS


@register.simple_tag(takes_context=True)
def site_home(context):
    return _home(context.get("request"))


@register.simple_tag(takes_context=True)
def main_menu(context):
    """Top-level pages shown in menus, in the active language."""
    home = _home(context.get("request"))
    if home is None:
        return []
    return home.get_children().live().public().in_menu()


@register.simple_tag
def breadcrumb_ancestors(page):
    """The ancestors of `page` below the tree root (home first)."""
    return page.get_ancestors().filter(depth__gt=1).live().specific()


@register.simple_tag(takes_context=True)
def language_links(context):
    """One link per language: the page's live translation, else that language's home page."""
    request = context.get("request")
    page = context.get("page")
    current = get_language()
    names = dict(settings.LANGUAGES)
    locales = {locale.language_code: locale for locale in Locale.objects.all()}
    links = []
    for code, _name in settings.LANGUAGES:
        url = None
        if isinstance(page, Page) and code in locales:
            translation = page.get_translation_or_none(locales[code])
            if translation and translation.live:
                url = translation.url
            else:
                home = Site.find_for_request(request).root_page if request else None
                home = home and home.get_translation_or_none(locales[code])
                url = home.url if home and home.live else None
        if url is None and request is not None:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": names[code], "url": url, "current": code == current})
    return links


@register.filter
def change_label(value):
    """A signed percentage for a change: "+12,5 %" (or "+12.5%" in English)."""
    if value is None:
        return ""
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    number = number_format(abs(value), 1)
    return f"{sign}{number}\u00a0%" if get_language() == "fr" else f"{sign}{number}%"


@register.filter
def grouped(value):
    """An integer with the thousands separator of the active language."""
    if value is None or value == "":
        return "—"
    return format_number(value)


@register.filter
def filesize(num_bytes):
    """A file size as French readers expect it: "1,2 Mo" (decimal units; "1.2 MB" in English)."""
    if num_bytes is None:
        return ""
    if num_bytes < 1000:
        return _("%(size)s octets") % {"size": num_bytes}
    for unit in (_("Ko"), _("Mo"), _("Go")):
        num_bytes /= 1000
        if num_bytes < 1000 or unit == _("Go"):
            break
    places = 1 if num_bytes < 10 else 0
    # number_format truncates; round first so 2.06 reads "2,1".
    return f"{number_format(round(num_bytes, places), places)}\u00a0{unit}"


@register.simple_tag
def field_widget(field, **attrs):
    """The field's widget, tied to its help text and error message for screen readers."""
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-help")
    if field.errors:
        described_by.append(f"{field.auto_id}-error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.filter
def number(value, places=0):
    """A number in the active language's format with grouping (`portal.numbers`)."""
    if value in (None, ""):
        return ""
    return format_number(value, places)


@register.filter
def money(value):
    """An amount in euros in the active language's format: no decimals when whole
    ("1 000 000"), else exactly two ("1 000 000,50"), never rounded to the euro."""
    if value in (None, ""):
        return ""
    value = Decimal(str(value))
    return format_number(value, 0 if value == value.to_integral_value() else 2)


@register.filter
def email_breaks(value):
    """An e-mail address that a narrow screen wraps before its "@" or a dot, not mid-word: a
    `<wbr>` (a line-break opportunity, invisible and not copied) before each of them."""
    if not value:
        return ""
    return mark_safe(re.sub(r"([@.])", r"<wbr>\1", str(conditional_escape(value))))


# "(in French)": the mark after content shown in another language than the page's (WCAG 3.1.2).
LANGUAGE_MARKS = {
    "fr": lambda: _("(en français)"),
    "en": lambda: _("(en anglais)"),
}


def _foreign(language):
    current = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language and language != current else None


@register.simple_tag
def lang_attr(language):
    """` lang="fr"` on an element whose content is in `language`, when the page is in another
    language; nothing otherwise."""
    foreign = _foreign(language)
    return format_html(' lang="{}"', foreign) if foreign else ""


@register.simple_tag
def language_mark(language):
    """A visible "(in French)" after content in `language` shown on a page in another
    language; nothing otherwise."""
    foreign = _foreign(language)
    if not foreign:
        return ""
    mark = LANGUAGE_MARKS[foreign]() if foreign in LANGUAGE_MARKS else f"({foreign})"
    return format_html(' <span class="language-mark">{}</span>', mark)
