"""The site search page: every kind of result, grouped; one kind at a time with pagination."""

from django.apps import apps
from django.core.paginator import Paginator
from django.shortcuts import render
from wagtail.models import Locale

from directory.models import DirectoryPage
from portal.models import GuidanceIndexPage
from sitesearch import search as engine

PER_PAGE = 10


def _live(model, locale):
    return model.objects.live().filter(locale=locale).first()


def search(request):
    raw = request.GET.get("q", "").strip()[: engine.MAX_LENGTH]
    query = engine.clean_query(raw)
    kind = request.GET.get("type", "")
    locale = Locale.get_active()
    context = {"query": raw, "kind": "", "groups": [], "total": 0}
    if query:
        if kind in engine.KINDS:
            results, count = engine.search_kind(kind, query, locale)
            context["kind"] = kind
            context["kind_title"] = engine.KINDS[kind]
            context["results"] = Paginator(results, PER_PAGE).get_page(request.GET.get("page"))
            context["total"] = count
        else:
            context["groups"] = engine.search_everything(query, locale)
            context["total"] = sum(group.count for group in context["groups"])
        directory = _live(DirectoryPage, locale)
        map_page = _live(apps.get_model("maps.MapPage"), locale)
        guidance = _live(GuidanceIndexPage, locale)
        context.update(
            map_url=map_page.url if map_page else "",
            communes_url=directory.url + "communes/" if directory else "",
            directory_url=directory.url if directory else "",
            guidance=guidance,
        )
    elif raw:
        context["nothing_searchable"] = True
    return render(request, "sitesearch/search.html", context)
