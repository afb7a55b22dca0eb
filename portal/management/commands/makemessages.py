"""Django's `makemessages`, knowing the project's aliases: `_lazy` (`gettext_lazy`, in modules
that also import `gettext as _`) and `N_` (`gettext_noop`: the API's descriptions, translated
when the OpenAPI document is built), whose strings must be extracted too.

It rebuilds `LOCALE_PATHS[0]` only: the corrections of Wagtail's French live in
`portal/locale_overrides`, which no source maps to, so they are never marked obsolete."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=_lazy", "--keyword=N_"]
    # No guessed ("fuzzy") translation of a new string from a similar old one: the guesses
    # are wrong more often than not, and a French msgid needs none.
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
