"""Coordinations: who keeps the directory of a territory, answers for its white zones and
validates its facilitators' changes (docs/domain.md, "Coordinations")."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.models import Task, TaskState

from directory.names import body_phrase

from .territories import Territory


class Coordination(models.Model):
    """A departmental or regional coordination of the social clauses, or the national one."""

    class Kind(models.TextChoices):
        DEPARTEMENTAL = "departemental", _("Départementale")
        REGIONAL = "regional", _("Régionale")
        NATIONAL = "national", _("Nationale")

    name = models.CharField(_("nom"), max_length=200, unique=True)
    kind = models.CharField(_("niveau"), max_length=20, choices=Kind.choices)
    territories = models.ManyToManyField(
        Territory,
        verbose_name=_("territoire"),
        blank=True,
        related_name="coordinations",
        limit_choices_to={"kind__in": [Territory.Kind.DEPARTEMENT, Territory.Kind.REGION]},
        help_text=_(
            "Une coordination départementale : un ou plusieurs départements ; régionale : sa "
            "région ; nationale : rien (elle couvre tout)."
        ),
    )
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("membres (comptes d'administration)"),
        blank=True,
        related_name="coordinations",
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("territories"),
        FieldRowPanel([FieldPanel("email"), FieldPanel("phone")]),
        FieldPanel("members"),
    ]

    class Meta:
        verbose_name = _("coordination")
        verbose_name_plural = _("coordinations")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name

    def phrase(self, preposition=""):
        """The coordination named in a sentence of the active language, with its article
        and after `preposition` ("", "à", "de", "par"): "à la coordination départementale
        des clauses sociales du Val-d'Oise" (`directory.names.body_phrase`)."""
        return body_phrase(self.name, preposition, get_language() or "fr")

    @property
    def article_name(self):
        """ "la coordination départementale…" ("the Coordination…" in English)."""
        return self.phrase()

    @property
    def to_name(self):
        """ "à la coordination départementale…" ("to the Coordination…")."""
        return self.phrase("à")

    @property
    def by_name(self):
        """ "par la coordination départementale…" ("by the Coordination…")."""
        return self.phrase("par")

    def check_territories(self, territories):
        """Raise a ValidationError when `territories` do not fit the kind."""
        kinds = {territory.kind for territory in territories}
        if self.kind == self.Kind.NATIONAL and territories:
            raise ValidationError(
                {"territories": _("La coordination nationale couvre tout : ne choisissez rien.")}
            )
        if self.kind == self.Kind.DEPARTEMENTAL and (
            not territories or kinds != {Territory.Kind.DEPARTEMENT}
        ):
            raise ValidationError(
                {"territories": _("Une coordination départementale couvre des départements.")}
            )
        if self.kind == self.Kind.REGIONAL and (
            len(territories) != 1 or kinds != {Territory.Kind.REGION}
        ):
            raise ValidationError(
                {"territories": _("Une coordination régionale couvre une région.")}
            )


class CoordinationApprovalTask(Task):
    """A workflow step approved by the coordination(s) whose territory contains the record:
    a facilitator proposes, its coordination approves (publishes) or rejects with a comment."""

    def approvers(self, obj):
        """Users who may approve or reject `obj` (see `directory.scope.approvers`)."""
        from directory import scope

        return scope.approvers(obj)

    def _approves(self, obj, user):
        # Never the facilitator's own account: its scope holds its record, but only the
        # coordinations approve.
        return self.approvers(obj).filter(pk=user.pk).exists()

    def user_can_access_editor(self, obj, user):
        return self._approves(obj, user)

    def locked_for_user(self, obj, user):
        return not self._approves(obj, user)

    def user_can_lock(self, obj, user):
        return self._approves(obj, user)

    def get_actions(self, obj, user):
        if self._approves(obj, user):
            return [
                ("reject", _("Refuser, avec un commentaire"), True),
                # Wagtail adds "et publier" to the approval of a workflow's last task.
                ("approve", _("Approuver"), False),
                ("approve", _("Approuver avec un commentaire"), True),
            ]
        return []

    @transaction.atomic
    def on_action(self, task_state, user, action_name, **kwargs):
        """Approve or reject, once: the task state is taken under a lock first
        (`review.claim`), so a second decision on the same proposal — a double click, a
        stale tab, an autosave carrying the buttons' fields — raises `review.AlreadyDecided`
        (which the views turn into a message) instead of deciding twice or failing. The
        facilitator is then told of the decision, with what the proposal changed."""
        from directory import review

        task_state = review.claim(task_state)
        before = review.proposal(task_state.workflow_state.content_object)
        result = super().on_action(task_state, user, action_name, **kwargs)
        review.notify_decision(task_state, user, before)
        return result

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from directory import scope

        states = TaskState.objects.filter(task=self, status=TaskState.STATUS_IN_PROGRESS)
        if scope.is_national(user):
            return states
        if not scope.scope_for(user).territorial:
            return states.none()
        ids = [
            state.pk
            for state in states.select_related("workflow_state")
            if self._approves(state.workflow_state.content_object, user)
        ]
        return states.filter(pk__in=ids)

    @classmethod
    def get_description(cls):
        return _("Les membres de la coordination du territoire de la fiche l'approuvent.")

    class Meta:
        verbose_name = _("validation par la coordination du territoire")
        verbose_name_plural = _("validations par la coordination du territoire")
