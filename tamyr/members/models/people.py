from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from tamyr.core.system_texts import SystemText, shown
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
    # A past registration, closed when the member moved to another PPO.
    TRANSFERRED = "transferred", _("transferred out")


# A person with a membership in one of these is still a member of their PPO.
CURRENT_STATUSES = (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED)
# Statuses that end a person's membership of the party (not just of one PPO).
ENDED_STATUSES = (MembershipStatus.LEFT, MembershipStatus.EXPELLED, MembershipStatus.DECEASED)


class Entry(models.TextChoices):
    """How a registration in a PPO began."""

    ADMISSION = "admission", _("admission")
    READMISSION = "readmission", _("readmission")
    TRANSFER = "transfer", _("transfer")


class AdmissionBody(models.TextChoices):
    PPO_MEETING = "ppo_meeting", _("General meeting of the PPO")
    BRANCH_BUREAU = "branch_bureau", _("Bureau of the branch's political council")
    POLITICAL_COUNCIL = "political_council", _("Political council of the branch")


class Person(models.Model):
    """A person known to the registry: a member now, once, or about to be."""

    surname = models.CharField(_("surname"), max_length=100)
    given_name = models.CharField(_("name"), max_length=100)
    patronymic = models.CharField(_("patronymic"), max_length=100, blank=True, default="")
    # Unique through Meta's constraint, whose one index serves both lookups and prefix search.
    iin = models.CharField(_("IIN"), max_length=12)
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
    # and Russian, so a case-insensitive search compares against this column. Not indexed: a
    # search for a part of a name cannot use a b-tree, and the index would slow every insert.
    search_name = models.CharField(max_length=310, editable=False, default="")
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    AUDIT_EXCLUDE = ("search_name", "updated_at")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["surname", "given_name"], name="person_name_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["iin"], name="person_iin_unique", opclasses=["varchar_pattern_ops"]
            )
        ]

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
    """One registration of a person in one PPO, from its start to its end.

    A transfer closes one registration and opens the next, so "who was a member under this
    node on this date" is a question about intervals: started_on <= date < ended_on.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    # Indexed by membership_ppo_status_idx, which begins with it.
    ppo = models.ForeignKey(
        Node,
        verbose_name=_("primary organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
        db_index=False,
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.ACTIVE,
    )
    entry = models.CharField(
        _("how it began"), max_length=16, choices=Entry.choices, default=Entry.ADMISSION
    )
    # The date of the admission decision; a transfer carries it over, so seniority survives.
    admitted_on = models.DateField(_("admitted on"))
    started_on = models.DateField(_("registered in the PPO on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    admission_body = models.CharField(
        _("admitted by"), max_length=32, choices=AdmissionBody.choices, blank=True, default=""
    )
    admission_protocol = models.CharField(
        _("protocol number"), max_length=40, blank=True, default=""
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["-started_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status__in=["active", "suspended"]),
                name="one_current_membership_per_person",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="membership_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["ppo", "status"], name="membership_ppo_status_idx"),
            models.Index(fields=["started_on"], name="membership_started_idx"),
            models.Index(fields=["ended_on"], name="membership_ended_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.ppo}"

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES


class MembershipCard(models.Model):
    """A party card: a number unique in the whole country, handed over by the branch head."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="cards")
    # Unique through Meta's constraint: cards are looked up by the whole number only, so the
    # extra pattern index a unique=True CharField gets on PostgreSQL would be dead weight.
    number = models.CharField(_("membership card number"), max_length=20)
    issued_on = models.DateField(_("card issued on"))
    issued_by = models.CharField(_("handed over by"), max_length=200, blank=True, default="")
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True, default="")

    class Meta:
        verbose_name = _("membership card")
        verbose_name_plural = _("membership cards")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="card_number_unique"),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(cancelled_on__isnull=True),
                name="one_valid_card_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"№ {self.number}"

    @property
    def shown_cancel_reason(self) -> str:
        """Return why the card was cancelled, in the reader's language."""
        return shown(self.cancel_reason)


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("awaiting decision")
    ADMITTED = "admitted", _("admitted")
    REJECTED = "rejected", _("rejected")


class Application(models.Model):
    """A request to join (or rejoin) the party through a PPO, until the decision on it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="applications")
    ppo = models.ForeignKey(
        Node,
        verbose_name=_("primary organisation"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applied_on = models.DateField(_("applied on"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.PENDING,
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision_body = models.CharField(
        _("decided by"), max_length=32, choices=AdmissionBody.choices, blank=True, default=""
    )
    protocol_number = models.CharField(_("protocol number"), max_length=40, blank=True, default="")
    reason = models.CharField(_("reason"), max_length=500, blank=True, default="")
    membership = models.OneToOneField(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="application"
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-applied_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="pending"),
                name="one_pending_application_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.ppo}"


class EventKind(models.TextChoices):
    ADMITTED = "admitted", _("admitted to the party")
    READMITTED = "readmitted", _("readmitted to the party")
    REGISTERED = "registered", _("registered as a member")
    CARD_ISSUED = "card_issued", _("membership card issued")
    CARD_CANCELLED = "card_cancelled", _("membership card cancelled")
    TRANSFERRED = "transferred", _("transferred to another PPO")
    SUSPENDED = "suspended", _("membership suspended")
    RESUMED = "resumed", _("membership resumed")
    LEFT = "left", _("left the party")
    EXPELLED = "expelled", _("expelled from the party")
    DIED = "died", _("died")


# Reasons Tamyr writes on the timeline and the cards itself: stored as their English source,
# shown in the reader's language (tamyr/core/system_texts.py). A reason someone typed is shown
# as it was typed.
MERGE_REASON = SystemText(gettext_noop("merger of primary organisations"))
EXPELLED_BY_DECISION = SystemText(
    gettext_noop("decision of the Party Control Commission, protocol № %(number)s")
)
EXPULSION_OVERTURNED = SystemText(gettext_noop("expulsion overturned on appeal"))
CARD_REPLACED = SystemText(gettext_noop("replaced by a new card"))
# A card ended with the registration is cancelled for the step that ended it.
CARD_ENDED_BY = {
    EventKind.LEFT: SystemText(gettext_noop("left the party")),
    EventKind.EXPELLED: SystemText(gettext_noop("expelled from the party")),
    EventKind.DIED: SystemText(gettext_noop("died")),
}
CARD_CANCELLED = SystemText("№ %(number)s: %(reason)s", translated=False, nested=("reason",))


class MembershipEvent(models.Model):
    """A step in a member's life in the party, as the member card's timeline shows it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="events")
    membership = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("event"), max_length=16, choices=EventKind.choices)
    on = models.DateField(_("date"))
    ppo = models.ForeignKey(
        Node,
        verbose_name=_("primary organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    other_ppo = models.ForeignKey(
        Node,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("other primary organisation"),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["kind", "on"], name="mevent_kind_on_idx")]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"

    @property
    def shown_reason(self) -> str:
        """Return the reason in the reader's language when Tamyr wrote it, else as typed."""
        return shown(self.reason)
