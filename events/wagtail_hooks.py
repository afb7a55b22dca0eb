from wagtail import hooks

from events.choosers import departement_chooser_viewset


@hooks.register("register_admin_viewset")
def register_departement_chooser():
    return departement_chooser_viewset
