"""The morning reminder: each executor and controller gets one letter listing their appeals
that are overdue or due within three working days."""

from collections import defaultdict
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tamyr.appeals.models import OPEN_STATUSES, Appeal
from tamyr.appeals.selectors import due_soon_limit, due_soon_q, overdue_q


def send_term_reminders() -> int:
    """Send the letters; return how many were sent."""
    today = timezone.localdate()
    limit = due_soon_limit(today)
    notice_late = Q(
        status__in=OPEN_STATUSES,
        notice_due_on__lt=today,
        citizen_notified_on__isnull=True,
    )
    appeals = (
        Appeal.objects.filter(overdue_q(today) | due_soon_q(today, limit) | notice_late)
        .filter(Q(executor__isnull=False) | Q(controller__isnull=False))
        .select_related("executor", "controller")
        .order_by("due_on", "id")
    )
    by_user: dict[Any, list[Appeal]] = defaultdict(list)
    for appeal in appeals.iterator(chunk_size=2000):
        for user in (appeal.executor, appeal.controller):
            if user is not None and user.is_active and user.email and appeal not in by_user[user]:
                by_user[user].append(appeal)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user, items in by_user.items():
            lines = [_line(a, today) for a in items]
            send_mail(
                _("Appeals under control: %(count)s need attention") % {"count": len(items)},
                "\n".join(lines),
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
            sent += 1
    return sent


def _line(appeal: Appeal, today) -> str:
    if appeal.notice_due_on and appeal.notice_due_on < today and not appeal.citizen_notified_on:
        return _("%(number)s: the citizen has not been told of the extension (due %(date)s)") % {
            "number": appeal.number,
            "date": date_format(appeal.notice_due_on, "SHORT_DATE_FORMAT"),
        }
    state = _("overdue") if appeal.due_on < today else _("due soon")
    return _("%(number)s: due on %(date)s (%(state)s)") % {
        "number": appeal.number,
        "date": date_format(appeal.due_on, "SHORT_DATE_FORMAT"),
        "state": state,
    }
