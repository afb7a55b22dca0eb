"""Public addresses of the directory outside its page, in the language prefix (French paths,
English through translation): "Signaler une erreur" and its thank-you page."""

from django.urls import path
from django.utils.translation import gettext_lazy as _

from directory import views

urlpatterns = [
    path(_("signaler-une-erreur/"), views.error_report, name="directory_error_report"),
    path(
        _("signaler-une-erreur/merci/"),
        views.error_report_thanks,
        name="directory_error_report_thanks",
    ),
]
