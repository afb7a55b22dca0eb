"""The review steps of the editorial workflow: Wagtail's group approval, except that nobody
approves their own work (`portal.review`)."""

from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask, TaskState

from portal import review


class PeerApprovalTask(AbstractGroupApprovalTask):
    """A step approved by a member of the chosen groups who did not write what is under review
    (neither submitted it nor saved its latest revision)."""

    def _reviews(self, obj, user):
        return review.may_review(user, obj, list(self.groups.all()))

    def get_actions(self, obj, user):
        if not self._reviews(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        ids = [
            state.pk
            for state in states.select_related("workflow_state")
            if state.workflow_state.content_object is not None
            and self._reviews(state.workflow_state.content_object, user)
        ]
        return TaskState.objects.filter(pk__in=ids)

    @classmethod
    def get_description(cls):
        return _(
            "Les membres des groupes choisis approuvent ce qu'un autre a écrit : jamais la "
            "personne qui a soumis la page ni celle qui l'a modifiée en dernier."
        )

    class Meta:
        verbose_name = _("approbation par un autre membre des groupes")
        verbose_name_plural = _("approbations par un autre membre des groupes")
