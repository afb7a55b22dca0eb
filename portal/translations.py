"""A translation is never published untranslated.

- "Traduire cette page" creates the translation as a draft (setting
  `WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False`): it is translated in the page
  editor, then submitted to the review workflow and published by a modérateur, like any page.
- When the parent of the translated page has no translation yet, Wagtail copies it too, as an
  *alias* of the source: a page that shows the source language's content, live as soon as the
  source is. Such a copy is turned into an ordinary draft (`keep_copied_parents_as_drafts`).
- A translation is not turned back into an alias of its source (the editor's "Convertir en
  page alias" action is not offered, and its address refuses): that would publish the
  source's text under the other language's address.
"""

from django.core.exceptions import PermissionDenied

REFUSED_MENU_ITEMS = {"localize-convert-to-alias"}


def keep_copied_parents_as_drafts(sender, source_obj, target_obj, **kwargs):
    """Receiver of `copy_for_translation_done`: a page copied for translation as an alias of
    a page of another language becomes a draft page of its own, not live."""
    from wagtail.models import Page

    if not isinstance(target_obj, Page) or target_obj.alias_of_id is None:
        return
    if target_obj.locale_id == source_obj.locale_id:
        return  # an alias in the same language: not a translation
    Page.objects.filter(pk=target_obj.pk).update(
        alias_of=None, live=False, has_unpublished_changes=True, live_revision=None
    )
    page = Page.objects.get(pk=target_obj.pk).specific
    page.save_revision(changed=False, clean=False)


def hide_refused_actions(menu_items, request, context):
    """`construct_page_action_menu` hook: the actions that would publish untranslated
    content are not offered."""
    menu_items[:] = [item for item in menu_items if item.name not in REFUSED_MENU_ITEMS]


def alias_refused(request, page_id):
    """The address of wagtail-localize's "convert to alias": refused to everyone."""
    raise PermissionDenied
