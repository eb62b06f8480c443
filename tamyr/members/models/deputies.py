from django.db import models
from django.utils.translation import gettext_lazy as _

from tamyr.members.models.people import Person
from tamyr.orgs.models import Node


class Assembly(models.TextChoices):
    MAJILIS = "majilis", _("Majilis of Parliament")
    REGIONAL = "regional", _("regional maslikhat")
    CITY = "city", _("city maslikhat")
    DISTRICT = "district", _("district maslikhat")


class Deputy(models.Model):
    """A party member's mandate in a representative assembly, for one term."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="mandates")
    assembly = models.CharField(_("assembly"), max_length=16, choices=Assembly.choices)
    # The branch whose territory the assembly serves: the central office for the Majilis.
    node = models.ForeignKey(
        Node, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="deputies"
    )
    elected_on = models.DateField(_("elected on"))
    term_ends_on = models.DateField(_("term ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["assembly", "-elected_on", "id"]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_assembly_display()}"
