from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from news.models import NewsCategory
from portal.panels import SnippetChooserViewSet


class NewsCategoryViewSet(SnippetViewSet):
    model = NewsCategory
    icon = "tag"
    menu_label = _("Catégories d'actualité")
    list_display = ["name", "slug", "locale"]
    list_filter = ["locale"]
    search_fields = ["name"]
    add_to_admin_menu = False
    chooser_viewset_class = SnippetChooserViewSet  # its texts in the reader's language


register_snippet(NewsCategoryViewSet)
