"""Django's `makemessages`, knowing the project's aliases: `_lazy` (`gettext_lazy`, in modules
that also import `gettext as _`) and `N_` (`gettext_noop`: the API's descriptions, translated
when the OpenAPI document is built), whose strings must be extracted too."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy", "--keyword=N_"]
