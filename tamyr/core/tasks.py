from importlib import import_module

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task


# Huey's schedule is in UTC: 21:45 UTC is 02:45 in Kazakhstan (UTC+5), while nobody is working.
@db_periodic_task(crontab(hour="21", minute="45"))
def sessions_clear_expired_daily() -> None:
    """Delete expired sessions each night, as `clearsessions` does: nothing else removes them,
    and every citizen who sent a form or followed an appeal left one."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
