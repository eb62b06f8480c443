"""Citizens' appeals under control, the working-day calendar, and receptions of citizens.

An appeal's status (where it is in the work) is kept apart from its outcome (what the citizen
got), as froide keeps a request's status apart from its resolution.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop, pgettext_lazy

from tamyr.core.system_texts import SystemText, shown
from tamyr.orgs.models import Node


class Channel(models.TextChoices):
    PORTAL = "portal", _("portal")
    CALL_CENTRE = "call_centre", _("call centre")
    LETTER = "letter", pgettext_lazy("channel", "letter")
    EMAIL = "email", _("e-mail")
    RECEPTION = "reception", _("reception of citizens")
    OPEN311 = "open311", _("civic application (Open311)")


class AppealStatus(models.TextChoices):
    REGISTERED = "registered", _("registered")
    IN_WORK = "in_work", _("in work")
    ANSWER_PREPARED = "answer_prepared", _("answer prepared")
    CLOSED = "closed", _("closed")
    REOPENED = "reopened", _("reopened")


OPEN_STATUSES = (
    AppealStatus.REGISTERED,
    AppealStatus.IN_WORK,
    AppealStatus.ANSWER_PREPARED,
    AppealStatus.REOPENED,
)


class Outcome(models.TextChoices):
    RESOLVED_FULLY = "resolved_fully", _("resolved positively in full")
    RESOLVED_PARTLY = "resolved_partly", _("resolved positively in part")
    EXPLAINED = "explained", _("explained")
    REFUSED = "refused", _("refused")
    FORWARDED = "forwarded", _("forwarded to the competent body")
    NOT_CONSIDERED = "not_considered", _("left without consideration")


POSITIVE_OUTCOMES = (Outcome.RESOLVED_FULLY, Outcome.RESOLVED_PARTLY)

# The answer Tamyr gives itself to an appeal it leaves without consideration by rule: stored as
# the English source, read in the reader's language (tamyr/core/system_texts.py), whoever sent it.
ANONYMOUS_NOT_CONSIDERED = SystemText(
    gettext_noop("Anonymous appeal: left without consideration, as the law requires.")
)
EMPTY_NOT_CONSIDERED = SystemText(
    gettext_noop("The appeal has no text: left without consideration, as the law requires.")
)


class AppealType(models.Model):
    """A kind of appeal with its legal terms (the Administrative Procedural Code's defaults)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    answer_days = models.PositiveSmallIntegerField(_("working days to answer"), default=15)
    forward_days = models.PositiveSmallIntegerField(
        _("working days to forward to the competent body"), default=3
    )
    extension_months = models.PositiveSmallIntegerField(
        _("longest extension, in months from receipt"), default=2
    )
    notice_days = models.PositiveSmallIntegerField(
        _("working days to tell the citizen of an extension"), default=3
    )

    class Meta:
        verbose_name = _("appeal type")
        verbose_name_plural = _("appeal types")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """What an appeal is about; also the Open311 services."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("offered to citizens"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class CalendarDay(models.Model):
    """A day moved by decree: a weekday off, or a weekend day worked (the library knows the
    public holidays; transfers are announced each year and entered here)."""

    day = models.DateField(_("date"), unique=True)
    is_working = models.BooleanField(_("working day"))
    note = models.CharField(_("decree or reason"), max_length=300, blank=True, default="")

    class Meta:
        verbose_name = _("moved day")
        verbose_name_plural = _("moved days")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"{self.day:%d.%m.%Y}"


class RegistrationCounter(models.Model):
    """The last registration number given in a year; locked while the next one is taken."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class OfficialKind(models.TextChoices):
    DEPUTY = "deputy", _("deputy")
    AKIM = "akim", _("akim or deputy akim")
    AGENCY_HEAD = "agency_head", _("head of a state agency")
    PARTY_LEADER = "party_leader", _("party leader")


class Official(models.Model):
    """Someone who holds receptions of citizens at a branch's public reception office."""

    full_name = models.CharField(_("full name"), max_length=300)
    position = models.CharField(_("position"), max_length=300)
    kind = models.CharField(_("kind"), max_length=16, choices=OfficialKind.choices)
    node = models.ForeignKey(
        Node, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="officials"
    )
    is_active = models.BooleanField(_("holds receptions"), default=True)

    # modeltranslation's base column mirrors a language column: the snapshot keeps the languages.
    AUDIT_EXCLUDE = ("position",)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name


class ReceptionFormat(models.Model):
    """How a reception is held: regular, an "office on the road", a thematic week."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("reception format")
        verbose_name_plural = _("reception formats")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class ReceptionStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    HELD = "held", _("held")
    CANCELLED = "cancelled", pgettext_lazy("reception", "cancelled")


class Reception(models.Model):
    """A session where an official meets citizens."""

    official = models.ForeignKey(
        Official, verbose_name=_("official"), on_delete=models.PROTECT, related_name="receptions"
    )
    node = models.ForeignKey(
        Node, verbose_name=_("branch"), on_delete=models.PROTECT, related_name="receptions"
    )
    format = models.ForeignKey(ReceptionFormat, verbose_name=_("format"), on_delete=models.PROTECT)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=300)
    status = models.CharField(
        _("status"), max_length=16, choices=ReceptionStatus.choices, default=ReceptionStatus.PLANNED
    )
    visitors = models.PositiveIntegerField(_("visitors"), default=0)
    version = models.PositiveIntegerField(default=1)

    # modeltranslation's base column mirrors a language column: the snapshot keeps the languages.
    AUDIT_EXCLUDE = ("place",)

    class Meta:
        verbose_name = _("reception of citizens")
        verbose_name_plural = _("receptions of citizens")
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["starts_at"], name="reception_starts_idx")]

    def __str__(self) -> str:
        from django.utils import timezone
        from django.utils.formats import date_format

        starts = date_format(timezone.localtime(self.starts_at), "SHORT_DATE_FORMAT")
        return f"{self.official} · {starts}"


class Appeal(models.Model):
    """A citizen's appeal, under control from registration until the controller signs it off."""

    number = models.CharField(_("registration number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    appeal_type = models.ForeignKey(
        AppealType, verbose_name=_("appeal type"), on_delete=models.PROTECT
    )
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT)
    # The citizen: no account; anonymous when neither a name nor a contact is given.
    citizen_name = models.CharField(_("name"), max_length=300, blank=True, default="")
    contact = models.CharField(_("phone or e-mail"), max_length=200, blank=True, default="")
    locality = models.CharField(_("locality"), max_length=300, blank=True, default="")
    text = models.TextField(_("text of the appeal"), blank=True, default="")
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reception = models.ForeignKey(
        Reception,
        verbose_name=_("reception"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
    )
    # Under control: where, by whom, checked by whom.
    # Both lead composite indexes below, which serve their foreign keys too.
    node = models.ForeignKey(
        Node,
        verbose_name=_("responsible branch"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    executor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("executor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    controller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("controller"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=AppealStatus.choices, default=AppealStatus.REGISTERED
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, blank=True, default=""
    )
    # Terms, in dates: the count starts on the first working day from receipt.
    counted_from = models.DateField(_("term counted from"))
    forward_due_on = models.DateField(_("forward to the competent body by"))
    due_on = models.DateField(_("answer due on"))
    extended_on = models.DateField(_("extended on"), null=True, blank=True)
    extension_reason = models.TextField(_("reasons for the extension"), blank=True, default="")
    notice_due_on = models.DateField(_("tell the citizen by"), null=True, blank=True)
    citizen_notified_on = models.DateField(_("citizen told on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, default="")
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("answer written by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed off by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Another appeal of the same citizen with a similar text within 30 days: a flag for the
    # operator, never a merge.
    possible_duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possibly repeats"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # A hash of the tracking secret; the secret itself is shown once, on the coupon.
    secret_hash = models.CharField(max_length=64, editable=False)
    # For the duplicate check: the contact reduced to digits or a lower-cased address.
    contact_key = models.CharField(max_length=200, editable=False, blank=True, default="")
    version = models.PositiveIntegerField(default=1)

    AUDIT_EXCLUDE = ("secret_hash", "contact_key")

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["node", "status", "due_on"], name="appeal_node_status_idx"),
            models.Index(fields=["received_at"], name="appeal_received_idx"),
            # An executor's list: counted from the index alone, the branch checked without
            # touching the table.
            models.Index(
                fields=["executor", "status", "due_on", "node"], name="appeal_executor_due_idx"
            ),
            # The open work of a whole region or the nation, nearest term first: the list's
            # default order, read in order instead of sorting every open appeal. The branch
            # and executor ride along so the list's parts are told apart from the index.
            models.Index(
                fields=["due_on", "id", "node", "executor"],
                name="appeal_open_due_idx",
                condition=Q(status__in=OPEN_STATUSES),
            ),
            models.Index(
                fields=["contact_key", "received_at"],
                name="appeal_contact_idx",
                condition=~Q(contact_key=""),
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def shown_answer(self) -> str:
        """Return the answer in the reader's language when Tamyr wrote it, else as written."""
        return shown(self.answer)


class AppealAttachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="appeals/%Y/%m/")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class AppealStep(models.Model):
    """One move of an appeal: the timeline the operator and the citizen's answer rest on."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=16)
    from_status = models.CharField(max_length=16, blank=True, default="")
    to_status = models.CharField(max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal} · {self.action}"

    @property
    def shown_note(self) -> str:
        """Return the note in the reader's language when Tamyr wrote it, else as written."""
        return shown(self.note)
