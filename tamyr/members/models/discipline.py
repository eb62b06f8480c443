from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tamyr.members.models.people import Person
from tamyr.orgs.models import Node


class Penalty(models.TextChoices):
    # The measures of party responsibility, mildest first.
    WARNING = "warning", _("warning")
    REPRIMAND = "reprimand", _("reprimand")
    SEVERE_REPRIMAND = "severe_reprimand", _("severe reprimand")
    EXPULSION = "expulsion", _("expulsion from the party")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("under consideration")
    DECIDED = "decided", _("decided")
    APPEALED = "appealed", _("under appeal")
    CLOSED = "closed", _("closed")


class CaseOutcome(models.TextChoices):
    PENALTY = "penalty", _("penalty imposed")
    NO_PENALTY = "no_penalty", _("no grounds for a penalty")


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", _("decision upheld")
    CHANGED = "changed", _("penalty changed")
    OVERTURNED = "overturned", _("decision overturned")


class DisciplineCase(models.Model):
    """A question of a member's party responsibility before a Party Control Commission."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="discipline_cases")
    # The member's PPO when the case opened: the case stays with that part of the tree.
    ppo = models.ForeignKey(
        Node, verbose_name=_("primary organisation"), on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField(_("opened on"))
    grounds = models.TextField(_("grounds"))
    hearing_on = models.DateField(_("hearing on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=CaseOutcome.choices, blank=True, default=""
    )
    penalty = models.CharField(
        _("penalty"), max_length=20, choices=Penalty.choices, blank=True, default=""
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    protocol_number = models.CharField(_("protocol number"), max_length=40, blank=True, default="")
    appeal_filed_on = models.DateField(_("appeal filed on"), null=True, blank=True)
    appeal_outcome = models.CharField(
        _("appeal outcome"), max_length=16, choices=AppealOutcome.choices, blank=True, default=""
    )
    appeal_decided_on = models.DateField(_("appeal decided on"), null=True, blank=True)
    # After an appeal that changed it, the penalty that stands.
    final_penalty = models.CharField(
        _("final penalty"), max_length=20, choices=Penalty.choices, blank=True, default=""
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)

    # modeltranslation's base column mirrors a language column: the snapshot keeps the languages.
    AUDIT_EXCLUDE = ("grounds",)

    class Meta:
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["decided_on"], name="dcase_decided_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.opened_on:%d.%m.%Y}"
