from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tamyr.orgs.models import Node


def search_key(*parts: str) -> str:
    """Return the lower-cased search text for these parts (any language, any alphabet)."""
    return " ".join(p.strip() for p in parts if p and p.strip()).casefold()


class Gender(models.TextChoices):
    MALE = "m", _("male")
    FEMALE = "f", _("female")


class Sector(models.TextChoices):
    HEALTH = "health", _("Health care")
    EDUCATION = "education", pgettext_lazy("occupation sector", "Education")
    BUSINESS = "business", _("Business")
    INDUSTRY = "industry", _("Industry")
    AGRICULTURE = "agriculture", _("Agriculture")
    CIVIL_SERVICE = "civil_service", _("Civil service")
    CULTURE = "culture", _("Culture and sport")
    TRANSPORT = "transport", _("Transport")
    STUDENT = "student", _("Student")
    PENSIONER = "pensioner", _("Pensioner")
    UNEMPLOYED = "unemployed", _("Not employed")
    OTHER = "other", _("Other")


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary")
    VOCATIONAL = "vocational", _("Vocational")
    INCOMPLETE_HIGHER = "incomplete_higher", _("Incomplete higher")
    HIGHER = "higher", _("Higher")
    POSTGRADUATE = "postgraduate", _("Postgraduate")


class MembershipStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    SUSPENDED = "suspended", _("suspended")
    LEFT = "left", _("left")
    EXPELLED = "expelled", _("expelled")
    DECEASED = "deceased", _("deceased")


# A person with a membership in one of these is still a member of their PPO.
CURRENT_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)


class Person(models.Model):
    """A person known to the registry: a member now, once, or about to be."""

    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True, default="")
    iin = models.CharField(_("IIN"), max_length=12, unique=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    phone = models.CharField(_("phone"), max_length=20, blank=True, default="")
    address = models.CharField(_("address"), max_length=500, blank=True, default="")
    sector = models.CharField(_("occupation sector"), max_length=32, choices=Sector.choices)
    education = models.CharField(_("education"), max_length=32, choices=Education.choices)
    # Where the person is registered now (or was last), copied from their latest membership so
    # that scoping a million people to a subtree is one indexed join, not a subquery.
    ppo = models.ForeignKey(
        Node,
        verbose_name=_("primary organisation"),
        on_delete=models.PROTECT,
        related_name="registered_people",
        null=True,
        blank=True,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        blank=True,
        default="",
    )
    # Lower-cased in Python: SQLite folds the case of ASCII letters only, and names are Kazakh
    # and Russian, so a case-insensitive search compares against this column.
    search_name = models.CharField(max_length=310, editable=False, default="", db_index=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDIT_EXCLUDE = ("search_name", "updated_at")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["surname", "given_name"], name="person_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_name = search_key(self.surname, self.given_name, self.patronymic)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        # The admin validates through here; pages and the API call the same rules directly.
        from django.core.exceptions import ValidationError

        from tamyr.members.rules import person_errors

        errors = person_errors(
            {f: getattr(self, f) for f in ("iin", "birth_date", "gender", "phone")}
        )
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.surname, self.given_name, self.patronymic) if p)

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    @property
    def age(self) -> int:
        return self.age_on(date.today())

    @property
    def is_youth(self) -> bool:
        return self.age <= settings.TAMYR_YOUTH_MAX_AGE


class Membership(models.Model):
    """A person's registration in one PPO, from admission to its end."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    ppo = models.ForeignKey(
        Node,
        verbose_name=_("primary organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    admitted_on = models.DateField(_("admitted on"))
    card_number = models.CharField(
        _("membership card number"), max_length=20, null=True, blank=True, unique=True
    )
    card_issued_on = models.DateField(_("card issued on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-admitted_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["active", "suspended"]),
                name="one_current_membership_per_person",
            )
        ]
        indexes = [models.Index(fields=["ppo", "status"], name="membership_ppo_status_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.ppo}"

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES
