"""News: an index with filters and feeds, articles with category and tags."""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import TranslatableMixin
from wagtail.search import index

from portal import pagecache
from portal.blocks import BodyBlock
from portal.models import BasePage
from portal.parsing import parse_id


class NewsCategory(TranslatableMixin, models.Model):
    """A news category (translatable snippet)."""

    name = models.CharField(_("nom"), max_length=80)
    slug = models.SlugField(_("identifiant"), max_length=80)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("catégorie d'actualité")
        verbose_name_plural = _("catégories d'actualité")
        ordering = ["name"]
        unique_together = [("translation_key", "locale"), ("slug", "locale")]

    def __str__(self):
        return self.name


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "news.NewsPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class NewsIndexPage(RoutablePageMixin, BasePage):
    """Lists the news, newest first, filterable by category and year, with RSS and Atom feeds."""

    intro = models.TextField(_("introduction"), blank=True, max_length=600)
    per_page = 10

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["news.NewsPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("index des actualités")
        verbose_name_plural = _("index des actualités")

    def articles(self, untranslated=False):
        """The live, public articles of this index, newest first. With `untranslated`, also
        the articles of this index's other languages that have no translation here (the list
        marks them "(in French)")."""
        articles = NewsPage.objects.child_of(self)
        if untranslated:
            translated = NewsPage.objects.child_of(self).values("translation_key")
            for other in self.get_translations():
                articles = articles | NewsPage.objects.child_of(other).exclude(
                    translation_key__in=translated
                )
        return (
            articles.live()
            .public()
            .select_related("category", "image", "locale")
            .order_by("-date", "-pk")
        )

    @path("")
    def listing(self, request):
        articles = self.articles(untranslated=True)
        categories = NewsCategory.objects.filter(
            locale=self.locale, pk__in=articles.values("category")
        )
        years = sorted({d.year for d in articles.values_list("date", flat=True)}, reverse=True)

        category = request.GET.get("categorie", "")
        if category and categories.filter(slug=category).exists():
            articles = articles.filter(category__slug=category)
        else:
            category = ""
        year = request.GET.get("annee", "")
        if parse_id(year) in years:
            articles = articles.filter(date__year=parse_id(year))
        else:
            year = ""
        tag = request.GET.get("tag", "")
        if tag:
            articles = articles.filter(tags__slug=tag)

        page_obj = Paginator(articles, self.per_page).get_page(request.GET.get("page"))
        return self.render(
            request,
            context_overrides={
                "articles": page_obj,
                "categories": categories,
                "years": years,
                "category": category,
                "year": year,
                "tag": tag,
            },
        )

    @path("rss/", name="rss")
    def rss(self, request):
        from news.feeds import NewsFeed

        return NewsFeed(self)(request)

    @path("atom/", name="atom")
    def atom(self, request):
        from news.feeds import NewsAtomFeed

        return NewsAtomFeed(self)(request)


class NewsPage(BasePage):
    """A news article."""

    date = models.DateField(_("date de publication"), default=timezone.localdate)
    intro = models.TextField(_("résumé"), max_length=400)
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=250,
        blank=True,
        help_text=_("Laisser vide si l'image est décorative."),
    )
    image_credit = models.CharField(
        _("crédit de l'image"),
        max_length=200,
        blank=True,
        help_text=_("Auteur ou source de l'image, affiché sous elle."),
    )
    category = models.ForeignKey(
        NewsCategory,
        verbose_name=_("catégorie"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("mots-clés"))
    body = StreamField(BodyBlock(), verbose_name=_("contenu"))

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("image"), FieldPanel("image_alt"), FieldPanel("image_credit")]),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    parent_page_types = ["news.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")

    @property
    def summary(self):
        return self.listing_summary or self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        siblings = NewsPage.objects.sibling_of(self, inclusive=False).live().public()

        def neighbours():
            newer = (
                siblings.filter(date__gt=self.date).order_by("date", "pk").first()
                or siblings.filter(date=self.date, pk__gt=self.pk).order_by("pk").first()
            )
            older = (
                siblings.filter(date=self.date, pk__lt=self.pk).order_by("-pk").first()
                or siblings.filter(date__lt=self.date).order_by("-date", "-pk").first()
            )
            return newer, older

        # Until the next publish (`portal.pagecache`): four queries otherwise.
        context["newer"], context["older"] = pagecache.remember(f"news:{self.pk}", neighbours)
        return context
