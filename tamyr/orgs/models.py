from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class Wing(models.TextChoices):
    PARTY = "party", _("Party")
    YOUTH = "youth", _("Youth wing")


class NodeKind(models.TextChoices):
    CENTRAL = "central", _("Central office")
    REGION = "region", _("Regional branch")
    CITY = "city", _("Branch of a city of republican significance")
    DISTRICT = "district", _("City or district branch")
    PRIMARY = "primary", _("Primary organisation")


# Which kinds may sit directly under which: the shape of the party's charter.
ALLOWED_CHILDREN: dict[str, set[str]] = {
    NodeKind.CENTRAL: {NodeKind.REGION, NodeKind.CITY, NodeKind.PRIMARY},
    NodeKind.REGION: {NodeKind.DISTRICT, NodeKind.PRIMARY},
    NodeKind.CITY: {NodeKind.DISTRICT, NodeKind.PRIMARY},
    NodeKind.DISTRICT: {NodeKind.PRIMARY},
    NodeKind.PRIMARY: set(),
}


class HostKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    VILLAGE = "village", _("Village")
    OTHER = "other", _("Other")


class SizeCategory(models.TextChoices):
    # The best-PPO contest judges PPOs in these three categories; 100 and 500 fall in the middle.
    SMALL = "small", _("under 100 members")
    MEDIUM = "medium", _("100 to 500 members")
    LARGE = "large", _("over 500 members")


def size_category_for(active_members: int) -> str:
    """Return the size category of a PPO with this many active members."""
    if active_members < 100:
        return SizeCategory.SMALL
    if active_members <= 500:
        return SizeCategory.MEDIUM
    return SizeCategory.LARGE


class Node(MP_Node):
    """A unit of the branch tree: central office, region or city, district, or PPO.

    The party and its youth wing are separate trees (separate roots). The materialised path
    makes "everything under this node" one indexed prefix query.
    """

    # 4 characters a level: up to 1.6 million children per node, comfortably past 7,000 PPOs.
    # No node_order_by: sorted insertion rewrites siblings' paths, which at national scale is
    # slow and would leave paths stored in the audit log pointing at the wrong node.
    steplen = 4

    wing = models.CharField(_("wing"), max_length=8, choices=Wing.choices, default=Wing.PARTY)
    kind = models.CharField(_("kind"), max_length=16, choices=NodeKind.choices)
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=255)
    host_kind = models.CharField(
        _("host"), max_length=16, choices=HostKind.choices, blank=True, default=""
    )
    host_name = models.CharField(_("host name"), max_length=255, blank=True, default="")
    address = models.CharField(_("address"), max_length=500, blank=True, default="")
    size_category = models.CharField(
        _("size category"), max_length=8, choices=SizeCategory.choices, blank=True, default=""
    )
    active_member_count = models.PositiveIntegerField(_("active members"), default=0)
    opened_on = models.DateField(_("opened on"), default=date.today)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_from",
    )
    search_name = models.CharField(max_length=800, editable=False, default="")
    # Optimistic locking: an edit based on an older version is refused, never silently lost.
    version = models.PositiveIntegerField(default=1)

    # Derived or duplicated columns: modeltranslation's base fields mirror a language column.
    AUDIT_EXCLUDE = ("name", "host_name", "search_name")

    class Meta:
        verbose_name = _("branch tree node")
        verbose_name_plural = _("branch tree nodes")
        indexes = [models.Index(fields=["kind", "wing"], name="node_kind_wing_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # Lower-cased in Python: SQLite's LIKE folds the case of ASCII letters only.
        names = (self.code, self.name_kk, self.name_ru, self.name_en)
        self.search_name = " | ".join(n for n in names if n).casefold()
        super().save(*args, **kwargs)

    @property
    def is_ppo(self) -> bool:
        return self.kind == NodeKind.PRIMARY

    @property
    def is_open(self) -> bool:
        return self.closed_on is None

    def kind_label(self) -> str:
        """Return the kind in the reader's language; the youth wing calls its PPOs centres."""
        if self.kind == NodeKind.PRIMARY and self.wing == Wing.YOUTH:
            return str(_("Primary centre"))
        return str(self.get_kind_display())


class PPOSizeRecord(models.Model):
    """The history of a PPO's size category: a row each time the category changes."""

    ppo = models.ForeignKey(Node, on_delete=models.CASCADE, related_name="size_history")
    category = models.CharField(_("size category"), max_length=8, choices=SizeCategory.choices)
    active_members = models.PositiveIntegerField(_("active members"))
    since = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("PPO size record")
        verbose_name_plural = _("PPO size records")
        ordering = ["-since", "-id"]

    def __str__(self) -> str:
        return f"{self.ppo} · {self.get_category_display()}"


class Role(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    SECRETARY = "secretary", _("Secretary")
    RECEPTION_OPERATOR = "reception_operator", _("Reception operator")
    ANALYST = "analyst", _("Analyst")
    JUROR = "juror", _("Juror")
    OBSERVER = "observer", _("Observer")
    CONTROL_COMMISSION = "control_commission", _("Member of the Party Control Commission")


class StaffRole(models.Model):
    """A user's role at a node, valid between two dates; it applies to the node's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_roles"
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    node = models.ForeignKey(
        Node, verbose_name=_("node"), on_delete=models.PROTECT, related_name="staff_roles"
    )
    valid_from = models.DateField(_("valid from"), default=date.today)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="staffrole_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.node}"

    def clean(self) -> None:
        if self.role == Role.NATIONAL_ADMIN and self.node_id and self.node.depth != 1:
            raise ValidationError(
                {"node": _("A national administrator is bound to the central office.")}
            )
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The end date is before the start date.")})
