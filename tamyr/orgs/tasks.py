from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from tamyr.orgs.services import ppo_refresh_all_sizes


@db_task()
def refresh_ppo_sizes() -> int:
    """Recount every PPO's active members (on demand)."""
    return ppo_refresh_all_sizes()


# Huey's schedule is in UTC: 22:15 UTC is 03:15 in Kazakhstan (UTC+5).
@db_periodic_task(crontab(hour="22", minute="15"))
def refresh_ppo_sizes_nightly() -> int:
    """Recount every PPO's active members each night, while nobody is working."""
    return ppo_refresh_all_sizes()
