from huey.contrib.djhuey import db_task

from tamyr.members.import_jobs import member_import_run
from tamyr.members.models import MemberImport


@db_task()
def run_member_import(import_id: int) -> str:
    """Run an uploaded member file's import on a worker."""
    job = MemberImport.objects.get(pk=import_id)
    return member_import_run(job).status
