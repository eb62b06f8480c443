from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tamyr.members.models.people import Person
from tamyr.orgs.models import Node


class AwardKind(models.TextChoices):
    BADGE = "badge", _("badge")
    CERTIFICATE = "certificate", _("certificate")
    MEDAL = "medal", _("medal")
    LETTER = "letter", _("letter")


class AwardType(models.Model):
    """A party award, as reference data: its name is kept in kk, ru and en."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AwardKind.choices)
    is_active = models.BooleanField(_("still awarded"), default=True)

    class Meta:
        verbose_name = _("award type")
        verbose_name_plural = _("award types")
        ordering = ["kind", "code"]

    def __str__(self) -> str:
        return self.name


class Ceremony(models.Model):
    """An occasion where awards are handed over, with its printable list."""

    node = models.ForeignKey(
        Node, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="ceremonies"
    )
    held_on = models.DateField(_("held on"))
    title = models.CharField(_("occasion"), max_length=300)
    place = models.CharField(_("place"), max_length=300, blank=True, default="")

    # modeltranslation's base columns mirror a language column: the snapshot keeps the languages.
    AUDIT_EXCLUDE = ("title", "place")

    class Meta:
        verbose_name = _("award ceremony")
        verbose_name_plural = _("award ceremonies")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.title} · {self.held_on:%d.%m.%Y}"


class Conferral(models.Model):
    """An award given to a member, or to a citizen outside the party."""

    award = models.ForeignKey(
        AwardType, verbose_name=_("award"), on_delete=models.PROTECT, related_name="conferrals"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    citizen_name = models.CharField(
        _("citizen's full name"), max_length=300, blank=True, default=""
    )
    citizen_details = models.CharField(
        _("place of work or study"), max_length=300, blank=True, default=""
    )
    # The branch that confers the award: the record belongs to its subtree.
    node = models.ForeignKey(
        Node, verbose_name=_("conferring branch"), on_delete=models.PROTECT, related_name="+"
    )
    conferred_on = models.DateField(_("conferred on"))
    conferring_body = models.CharField(_("conferred by"), max_length=300)
    reason = models.CharField(_("for"), max_length=500)
    ceremony = models.ForeignKey(
        Ceremony,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conferrals",
        verbose_name=_("ceremony"),
    )

    # modeltranslation's base column mirrors a language column: the snapshot keeps the languages.
    AUDIT_EXCLUDE = ("reason",)

    class Meta:
        verbose_name = _("award conferral")
        verbose_name_plural = _("award conferrals")
        ordering = ["-conferred_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(citizen_name=""))
                | (Q(person__isnull=True) & ~Q(citizen_name="")),
                name="conferral_to_a_member_or_a_citizen",
            )
        ]

    def __str__(self) -> str:
        return f"{self.award} · {self.recipient_name}"

    @property
    def recipient_name(self) -> str:
        return self.person.full_name if self.person is not None else self.citizen_name
