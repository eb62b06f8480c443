from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tamyr.appeals.calendar import WorkingCalendar
from tamyr.appeals.reminders import send_term_reminders
from tamyr.appeals.services import appeal_terms_recompute


@db_task()
def appeal_terms_recompute_task() -> int:
    """Recompute open appeals' terms after the calendar changed."""
    return appeal_terms_recompute()


# Huey's schedule is in UTC: 02:30 UTC is 07:30 in Kazakhstan (UTC+5 all year since 2024).
@db_periodic_task(crontab(hour="2", minute="30"))
def appeal_reminders_daily() -> int:
    """Remind executors and controllers of appeals due soon or overdue, each working morning."""
    if not WorkingCalendar().is_working(timezone.localdate()):
        return 0
    return send_term_reminders()
