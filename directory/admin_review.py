"""The review screen and the decisions on a facilitator's proposal, in the admin: the edit view
and the workflow-action view of the records under the coordination's workflow (facilitators,
structures). The rules are `directory.review`'s; these views only apply them.

Wagtail 7.4's autosave posts the whole edit form in the background (`new FormData(form)`), and
the "Approuver / Refuser avec un commentaire" buttons of the edit view work by adding hidden
fields to that same form (`action-workflow-action`, `workflow-action-name`…) before submitting
it. An autosave fired meanwhile carried them too: two decisions raced, the loser found no task
in progress (`'NoneType' object has no attribute 'on_action'`, a 500) after its draft was
saved (the record left with unpublished changes), and the autosaves failed with 400s. So:

- while a proposal waits for its coordination, its edit view has no autosave (the setting
  stays on elsewhere); a background save that still comes (a tab opened before the
  submission) is refused with a message, never saved into the proposal under review;
- a background save never performs an action: it only saves a draft;
- a decision takes the task under a lock (`review.claim`): the second one of a race, or one
  from a stale tab, is told who decided and changes nothing (no draft saved), with a 302.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.models import TaskState
from wagtail.snippets.views.snippets import EditView, WorkflowActionView

from directory import review


class ReviewEditView(EditView):
    """The edit view of a record under the coordination's workflow (the review screen of its
    approvers while a proposal waits)."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        if self.in_review:
            self.autosave_enabled = False

    @cached_property
    def in_review(self):
        """Whether a proposal of this record waits for its coordination."""
        return bool(self.workflow_enabled and self.object and self.object.workflow_in_progress)

    def get_available_actions(self):
        actions = super().get_available_actions()
        if self.request.method == "POST" and self.expects_json_response:
            # An autosave saves a draft, whatever hidden fields the form held.
            return [action for action in actions if action == "edit"]
        return actions

    def is_valid(self, form):
        if self.expects_json_response and self.object.workflow_in_progress:
            self.produced_error_code = "locked"
            self.produced_error_message = _(
                "Cette fiche attend la décision de la coordination : elle n'est plus "
                "enregistrée automatiquement. Utilisez les boutons en bas de page."
            )
            return False
        return super().is_valid(form)

    def form_valid(self, form):
        """A decision from this form (its buttons' hidden fields) is taken under the task's
        lock, before the form's draft is saved: if the proposal was decided meanwhile,
        nothing is saved and the reviewer is told who decided."""
        if self.expects_json_response or not self.request.POST.get("action-workflow-action"):
            return super().form_valid(form)
        try:
            with transaction.atomic():
                review.claim_current(self.object)
                if self.action != "workflow-action":  # a task in progress, not theirs to decide
                    raise PermissionDenied
                return super().form_valid(form)
        except review.AlreadyDecided as decided:
            messages.warning(self.request, decided.message)
            return redirect(self.get_edit_url())


class DecisionView(WorkflowActionView):
    """Approve or reject a proposal (the modal of the listing, the dashboard and the edit
    view): only a task of this record's workflows, decided once."""

    def get_task_state(self):
        return get_object_or_404(review.task_states_of(self.object), id=self.task_state_id).specific

    def dispatch(self, request, *args, **kwargs):
        if self.task_state.status != TaskState.STATUS_IN_PROGRESS:
            return self.already_decided(review.AlreadyDecided(self.task_state))
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            with transaction.atomic():
                return super().post(request, *args, **kwargs)
        except review.AlreadyDecided as decided:
            return self.already_decided(decided)

    def already_decided(self, decided):
        """Say who decided, and go back where the reviewer was (the modal closes)."""
        messages.warning(self.request, decided.message)
        if self.request.headers.get("x-requested-with") == "XMLHttpRequest":
            return self.render_modal_json(
                self.request, {"step": "success", "redirect": self.redirect_url}
            )
        return redirect(self.redirect_url)
