"""The live progress of an import brings its table of errors with it when the job ends.

The status page polls a fragment while the job runs; the fragment that sees the end must carry
the errors, since the page is not reloaded.
"""

import re
from html import unescape

import pytest
from django.urls import reverse

from tamyr.members.models import ImportProblem, ImportStatus, MemberImport

pytestmark = pytest.mark.django_db


def job_for(cast, status: str, problems: list[tuple[int, str, str]]) -> MemberImport:
    job = MemberImport.objects.create(
        user=cast["users"]["district_secretary"],
        file_name="members.csv",
        stored_path="/nonexistent/members.csv",
        language="en",
        status=status,
        rows=3,
        rejected=len(problems),
        problem_count=len(problems),
        progress=100 if status not in (ImportStatus.QUEUED, ImportStatus.RUNNING) else 40,
    )
    ImportProblem.objects.bulk_create(
        ImportProblem(member_import=job, row=r, column=c, message=m) for r, c, m in problems
    )
    return job


def rows_of(html: str) -> list[tuple[str, str, str]]:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    if body is None:
        return []
    return [
        tuple(unescape(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S))
        for tr in re.findall(r"<tr>(.*?)</tr>", body.group(1), re.S)
    ]


PROBLEMS = [
    (3, "IIN", "The IIN's check digit is wrong."),
    (5, "PPO code", "No open primary organisation with the code “P3” in your subtree."),
]


def test_the_progress_fragment_of_a_finished_job_carries_its_errors(client, cast):
    job = job_for(cast, ImportStatus.REFUSED, PROBLEMS)
    client.force_login(cast["users"]["district_secretary"])
    url = reverse("members:import", args=[job.uuid])

    fragment = client.get(url, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert fragment.templates[0].name == "members/_import_progress.html"
    assert rows_of(html) == [(str(r), c, m) for r, c, m in PROBLEMS]
    assert "2 errors were found, so nothing was imported." in html
    # The job has ended: the fragment no longer polls.
    assert "hx-get" not in html and "hx-trigger" not in html

    # The full page shows the same table once.
    page = client.get(url).content.decode()
    assert page.count("<tbody>") == 1
    assert rows_of(page) == rows_of(html)


def test_the_progress_fragment_of_a_running_job_polls_and_shows_no_table_yet(client, cast):
    job = job_for(cast, ImportStatus.RUNNING, [])
    client.force_login(cast["users"]["district_secretary"])
    url = reverse("members:import", args=[job.uuid])
    html = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{url}"' in html and 'hx-trigger="every 1s"' in html
    assert 'hx-swap="outerHTML"' in html
    assert rows_of(html) == []
    # The element that polls is the one the fragment replaces: the whole fragment.
    assert html.split("<div", 1)[1].startswith(' id="import-progress"')


def test_a_job_that_ends_with_good_rows_kept_shows_its_errors_too(client, cast):
    job = job_for(cast, ImportStatus.DONE, [(4, "Birth date", "“31.02.1990” is not a date.")])
    client.force_login(cast["users"]["district_secretary"])
    html = client.get(
        reverse("members:import", args=[job.uuid]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert rows_of(html) == [("4", "Birth date", "“31.02.1990” is not a date.")]
