from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tamyr.appeals.reminders import send_term_reminders
from tamyr.appeals.services import appeal_terms_recompute


@db_task()
def appeal_terms_recompute_task() -> int:
    """Recompute open appeals' terms after the calendar changed."""
    return appeal_terms_recompute()


@db_periodic_task(crontab(hour="7", minute="30"))
def appeal_reminders_daily() -> int:
    """Remind executors and controllers of appeals due soon or overdue, each working morning."""
    return send_term_reminders()
