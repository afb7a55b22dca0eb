"""Absences of facilitators: while one is away, new project requests meant for them go to
their deputy, or to the coordination of their territory (`referrals.routing`). An absence
never changes the directory's public answer: coverage and designations stay as they are.
The rules (dates, overlaps, who may stand in) are in `directory.absences`."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel

from .registry import Facilitator

ROUTING_HELP = _(
    "Pendant l'absence, les nouvelles demandes adressées à cette personne vont à son "
    "suppléant ou, sans suppléant, à la coordination de son territoire ; l'expéditeur en est "
    "informé. Les demandes déjà reçues ne sont pas déplacées : transmettez-les depuis le menu "
    "« Demandes » si besoin. L'annuaire public ne change pas."
)


class Absence(models.Model):
    """A facilitator away from `start` to `end` (both included), with an optional deputy."""

    facilitator = models.ForeignKey(
        Facilitator,
        verbose_name=_("facilitateur absent"),
        on_delete=models.CASCADE,
        related_name="absences",
    )
    start = models.DateField(_("premier jour d'absence"))
    end = models.DateField(_("dernier jour d'absence"), help_text=_("Inclus."))
    deputy = models.ForeignKey(
        Facilitator,
        verbose_name=_("suppléant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputyships",
        help_text=_(
            "Un autre facilitateur publié dans l'annuaire. Sans suppléant, la coordination du "
            "territoire reçoit les nouvelles demandes."
        ),
    )
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=2000,
        help_text=_("Pour la coordination et le suppléant ; jamais publiée."),
    )

    panels = [
        HelpPanel(ROUTING_HELP),
        FieldPanel("facilitator"),
        FieldRowPanel([FieldPanel("start"), FieldPanel("end")]),
        FieldPanel("deputy"),
        FieldPanel("note"),
    ]

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start", "end"]
        indexes = [models.Index(fields=["facilitator", "end"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")), name="absence_ends_after_start"
            )
        ]

    def __str__(self):
        from directory.absences import period

        who = self.facilitator if self.facilitator_id else ""
        return f"{who} — {period(self)}"

    def clean(self):
        from directory.absences import check

        check(self)
