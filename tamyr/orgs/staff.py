"""How a staff user is named where someone chooses among staff: by full name, with the branch
and position of each role that makes them a choice there. Where a person is only shown, the
`staff_name` filter (core/templatetags/tamyr.py) names them."""

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _

from tamyr.core.templatetags.tamyr import staff_name
from tamyr.orgs.models import Role


def staff_choice_label(user: Any, roles: Iterable[Any] | None = None) -> str:
    """Return the label of a staff user in a select: "Айгүл Серікова — Yesil district branch,
    secretary", a role after another separated by semicolons, the branch in the reader's
    language. The roles default to those prefetched on the user as `held_roles` (each with its
    node); the name alone when there are none."""
    roles = getattr(user, "held_roles", ()) if roles is None else roles
    held = "; ".join(
        _("%(branch)s, %(position)s") % {"branch": role.node.name, "position": _position(role.role)}
        for role in roles
    )
    if not held:
        return staff_name(user)
    return _("%(name)s — %(roles)s") % {"name": staff_name(user), "roles": held}


def _position(role: str) -> str:
    """Return a role's name as it reads after a comma ("secretary", not "Secretary")."""
    label = str(Role(role).label) if role in Role.values else role
    return label[:1].lower() + label[1:]
