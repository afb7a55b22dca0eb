from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from portal import translations


@hooks.register("register_admin_menu_item")
def register_site_link():
    """A link back to the public site, for editors who land in the admin first."""
    return MenuItem(_("Voir le site"), "/", icon_name="site", order=10000)


# Translations are published through the review workflow only (`portal.translations`).
hooks.register("construct_page_action_menu", translations.hide_refused_actions)
