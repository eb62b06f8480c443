"""The operator's list opens on the user's open work, sorts by its columns, keeps its filter and
order from page to page, and names staff by name, branch and position (issue 9, points 2.6
and 2.7)."""

import html
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from tamyr.appeals.models import Appeal, AppealType, Topic

ALMATY = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=ALMATY)  # a Monday

# The district secretary of D1 ("me"), the reception operator of D1 (a colleague) and the
# secretary of D2, outside D1's subtree. P1 is the PPO below D1.
# key: (number, node, executor, status, due on, received on, topic), the dates in 2026.
APPEALS = {
    "A1": ("2026-0000007", "D1", "me", "in_work", "03-10", "02-20", "housing"),
    "A2": ("2026-0000003", "P1", "me", "registered", "03-05", "02-24", "land"),
    "A3": ("2026-0000001", "D1", "me", "closed", "02-20", "01-28", "roads"),
    "A4": ("2026-0000010", "D1", "colleague", "in_work", "03-03", "02-10", "education"),
    "A5": ("2026-0000005", "D1", None, "registered", "03-20", "02-27", "health"),
    "A6": ("2026-0000002", "D1", "colleague", "answer_prepared", "02-27", "02-05", "land"),
    "A7": ("2026-0000009", "P1", "colleague", "in_work", "03-04", "02-12", "roads"),
    "A8": ("2026-0000004", "P1", None, "reopened", "03-04", "01-30", "housing"),
    "A9": ("2026-0000006", "P1", None, "closed", "01-15", "01-05", "education"),
    "A10": ("2026-0000008", "D2", "b", "in_work", "03-01", "02-15", "land"),
}

# The default page: open appeals only; assigned to me (nearest term first), then under D1's
# control, then under the branches below (P1); A7 and A8 share a term and keep their order.
DEFAULT = ["A2", "A1", "A6", "A4", "A5", "A7", "A8"]
# Every status (status=all), by each column, written out by hand from the table above.
SORTED = {
    "number": ["A3", "A6", "A2", "A8", "A5", "A9", "A1", "A7", "A4"],
    "-number": ["A4", "A7", "A1", "A9", "A5", "A8", "A2", "A6", "A3"],
    "received": ["A9", "A3", "A8", "A6", "A4", "A7", "A1", "A2", "A5"],
    "-received": ["A5", "A2", "A1", "A7", "A4", "A6", "A8", "A3", "A9"],
    "due": ["A9", "A3", "A6", "A4", "A7", "A8", "A2", "A1", "A5"],
    "-due": ["A5", "A1", "A2", "A8", "A7", "A4", "A6", "A3", "A9"],
    # Registered, in work, answer prepared, reopened, closed; the nearest term first within.
    "status": ["A2", "A5", "A4", "A7", "A1", "A6", "A8", "A9", "A3"],
    "-status": ["A9", "A3", "A8", "A6", "A4", "A7", "A1", "A2", "A5"],
    # By surname (Ахметов, then Серікова); the unassigned last either way.
    "executor": ["A6", "A4", "A7", "A3", "A2", "A1", "A9", "A8", "A5"],
    "-executor": ["A3", "A2", "A1", "A6", "A4", "A7", "A9", "A8", "A5"],
    # Education, Health care, Housing and utilities, Land, Roads and transport.
    "topic": ["A9", "A4", "A5", "A8", "A1", "A6", "A2", "A3", "A7"],
    "-topic": ["A3", "A7", "A6", "A2", "A8", "A1", "A5", "A9", "A4"],
    # "D1 unit" before "P1 unit".
    "branch": ["A3", "A6", "A4", "A1", "A5", "A9", "A7", "A8", "A2"],
    "-branch": ["A9", "A7", "A8", "A2", "A3", "A6", "A4", "A1", "A5"],
}


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def work(cast, clock):
    """Replace the cast's appeals with the table above; return the users by part."""
    users = cast["users"]
    me, colleague = users["district_secretary"], users["reception_operator"]
    User = get_user_model()
    User.objects.filter(pk=me.pk).update(first_name="Айгүл", last_name="Серікова")
    User.objects.filter(pk=colleague.pk).update(first_name="Ерлан", last_name="Ахметов")
    executors = {"me": me, "colleague": colleague, "b": users["district_b_secretary"], None: None}
    Appeal.objects.all().delete()
    appeal_type = AppealType.objects.get(code="appeal")
    for number, node, executor, status, due, received, topic in APPEALS.values():
        due_on, received_on = (
            date.fromisoformat(f"2026-{due}"),
            date.fromisoformat(f"2026-{received}"),
        )
        Appeal.objects.create(
            number=number,
            channel="letter",
            appeal_type=appeal_type,
            topic=Topic.objects.get(code=topic),
            citizen_name="Азамат",
            contact="+77010000000",
            text="Өтініш",
            received_at=datetime.combine(received_on, datetime.min.time(), ALMATY),
            node=cast["nodes"][node],
            executor=executors[executor],
            status=status,
            counted_from=received_on,
            forward_due_on=received_on,
            due_on=due_on,
        )
    return {"me": me, "colleague": colleague}


def numbers(keys: list[str]) -> list[str]:
    return [APPEALS[key][0] for key in keys]


def listed(response) -> list[str]:
    """Return the registration numbers the page lists, in order."""
    assert response.status_code == 200
    return re.findall(r'<a href="/appeals/\d+/">([^<]+)</a>', response.content.decode())


def pager_link(response, text: str) -> str:
    found = re.search(rf'<a href="(\?[^"]*)">[^<]*{text}', response.content.decode())
    assert found, f"no {text} link in the pager"
    return html.unescape(found.group(1))


@pytest.fixture
def me_client(client, work):
    client.force_login(work["me"])
    client.cookies["tamyr_language"] = "en"
    return client


def test_the_list_opens_on_my_open_work_mine_first_then_my_branch_nearest_term_first(me_client):
    response = me_client.get(reverse("appeals:list"))
    assert listed(response) == numbers(DEFAULT)
    page = response.content.decode()
    titles = re.findall(r'<th colspan="7" scope="rowgroup">([^<]+)</th>', page)
    assert titles == [
        "Assigned to you",
        "Under the control of your branch",
        "Under the control of the branches below yours",
    ]
    # No column is the order, and the status filter shows what is listed.
    assert "aria-sort" not in page
    assert re.search(r'<option value="open"[^>]*>all open</option>', page)


def test_the_default_order_keeps_its_parts_for_a_regional_secretary(client, work, cast):
    """Nothing is assigned to the regional secretary and nothing sits at R1 itself: the whole
    list is the part below, nearest term first, with D2's appeal in it."""
    client.force_login(cast["users"]["regional_secretary"])
    page = client.get(reverse("appeals:list"))
    assert listed(page) == numbers(["A6", "A10", "A4", "A7", "A8", "A2", "A1", "A5"])
    assert re.findall(r'scope="rowgroup">([^<]+)<', page.content.decode()) == [
        "Under the control of the branches below yours"
    ]


def test_any_status_keeps_the_work_order(me_client):
    response = me_client.get(reverse("appeals:list"), {"status": "all"})
    assert listed(response) == numbers(["A3", "A2", "A1", "A6", "A4", "A5", "A9", "A7", "A8"])


def test_a_filter_applies_within_the_work_order(me_client):
    overdue = me_client.get(reverse("appeals:list"), {"term": "overdue"})
    assert listed(overdue) == numbers(["A6"])
    closed = me_client.get(reverse("appeals:list"), {"status": "closed"})
    assert listed(closed) == numbers(["A3", "A9"])


@pytest.mark.parametrize("sort", list(SORTED))
def test_each_column_sorts_both_ways_with_a_stable_tie_break(me_client, sort):
    response = me_client.get(reverse("appeals:list"), {"status": "all", "sort": sort})
    assert listed(response) == numbers(SORTED[sort])
    page = response.content.decode()
    column = sort.removeprefix("-")
    direction = "descending" if sort.startswith("-") else "ascending"
    headings = re.findall(r'<th scope="col"( aria-sort="(\w+)")?><a href="([^"]+)">', page)
    sorted_headings = [(aria, href) for _attr, aria, href in headings if aria]
    assert len(headings) == 7 and len(sorted_headings) == 1
    aria, href = sorted_headings[0]
    assert aria == direction
    # Its link turns the order round, keeping the filter.
    turned = column if sort.startswith("-") else f"-{column}"
    assert html.unescape(href) == f"?status=all&sort={turned}"
    # No part titles in a column's order.
    assert 'scope="rowgroup"' not in page


def test_every_heading_links_to_its_own_sort_keeping_the_filter(me_client):
    page = me_client.get(reverse("appeals:list"), {"term": "overdue", "page": "1"}).content.decode()
    hrefs = [html.unescape(h) for h in re.findall(r'<th scope="col"><a href="([^"]+)">', page)]
    assert hrefs == [
        f"?term=overdue&sort={key}"
        for key in ("number", "received", "topic", "branch", "executor", "status", "due")
    ]


@pytest.mark.parametrize(
    "sort", ["secret_hash", "-contact", "executor__password", "due;drop", "--due", "", "DUE"]
)
def test_an_unknown_sort_key_is_ignored(me_client, sort):
    response = me_client.get(reverse("appeals:list"), {"sort": sort})
    assert listed(response) == numbers(DEFAULT)
    page = response.content.decode()
    assert "aria-sort" not in page and 'name="sort"' not in page


def test_the_filter_and_the_sort_survive_paging(me_client, settings):
    settings.TAMYR_PAGE_SIZE = 3
    first = me_client.get(reverse("appeals:list"), {"status": "all", "sort": "-due"})
    assert listed(first) == numbers(SORTED["-due"][:3])
    following = pager_link(first, "Next")
    assert following == "?status=all&sort=-due&page=2"
    second = me_client.get(reverse("appeals:list") + following)
    assert listed(second) == numbers(SORTED["-due"][3:6])
    assert 'aria-sort="descending"' in second.content.decode()
    assert pager_link(second, "Previous") == "?status=all&sort=-due&page=1"
    assert pager_link(second, "Next") == "?status=all&sort=-due&page=3"
    # The filter form carries the order too, so filtering again keeps it.
    assert '<input type="hidden" name="sort" value="-due">' in second.content.decode()


def test_the_work_order_continues_on_the_next_page_with_its_part_title(me_client, settings):
    settings.TAMYR_PAGE_SIZE = 3
    first = me_client.get(reverse("appeals:list"))
    assert listed(first) == numbers(DEFAULT[:3])
    second = me_client.get(reverse("appeals:list") + pager_link(first, "Next"))
    assert listed(second) == numbers(DEFAULT[3:6])
    assert re.findall(r'scope="rowgroup">([^<]+)<', second.content.decode()) == [
        "Under the control of your branch",
        "Under the control of the branches below yours",
    ]
    third = me_client.get(reverse("appeals:list") + pager_link(second, "Next"))
    assert listed(third) == numbers(DEFAULT[6:])


def test_the_number_search_survives_paging(me_client, settings):
    settings.TAMYR_PAGE_SIZE = 1
    first = me_client.get(reverse("appeals:list"), {"q": "2026-000000", "status": "all"})
    assert listed(first) == numbers(["A3"])
    assert pager_link(first, "Next") == "?q=2026-000000&status=all&page=2"
    second = me_client.get(reverse("appeals:list") + pager_link(first, "Next"))
    assert listed(second) == numbers(["A2"])
    assert 'value="2026-000000"' in second.content.decode()


def options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no {name} select"
    return [html.unescape(o) for o in re.findall(r"<option [^>]*>([^<]*)</option>", select[1])]


def test_the_executor_filter_names_staff_with_branch_and_position(me_client):
    page = me_client.get(reverse("appeals:list")).content.decode()
    assert options(page, "executor") == [
        "---------",
        "Ерлан Ахметов — D1 unit, reception operator",
        "Айгүл Серікова — D1 unit, secretary",
    ]


def test_the_executor_filter_speaks_the_readers_language(me_client):
    me_client.cookies["tamyr_language"] = "ru"
    page = me_client.get(reverse("appeals:list")).content.decode()
    assert options(page, "executor")[1:] == [
        "Ерлан Ахметов — D1 отделение, оператор общественной приёмной",
        "Айгүл Серікова — D1 отделение, секретарь",
    ]
    me_client.cookies["tamyr_language"] = "en"
    page = me_client.get(reverse("appeals:list")).content.decode()
    assert options(page, "executor")[2] == "Айгүл Серікова — D1 unit, secretary"


def test_the_list_shows_executors_by_full_name(me_client):
    page = me_client.get(reverse("appeals:list")).content.decode()
    executors = re.findall(r'<td data-label="Executor">([^<]*)</td>', page)
    assert executors == [
        "Айгүл Серікова", "Айгүл Серікова", "Ерлан Ахметов", "Ерлан Ахметов", "—",
        "Ерлан Ахметов", "—",
    ]  # fmt: skip


def test_the_assignment_form_names_staff_with_branch_and_position(me_client):
    appeal = Appeal.objects.get(number=APPEALS["A2"][0])  # under P1's control
    page = me_client.get(reverse("appeals:detail", args=[appeal.pk])).content.decode()
    form = page[page.index('name="action" value="assign"') :]
    # Whoever holds an appeal role at P1 or above it; an account without a name by login name.
    expected = [
        "national_admin — Central office, national administrator",
        "regional_secretary — R1 unit, secretary",
        "Ерлан Ахметов — D1 unit, reception operator",
        "Айгүл Серікова — D1 unit, secretary",
    ]
    assert options(form, "executor") == ["---------", *expected]
    assert options(form, "controller") == ["---------", *expected]
    # The appeal's page names its executor by name alone.
    assert "<dd>Айгүл Серікова</dd>" in page


def test_a_user_holding_two_roles_is_labelled_with_both(me_client, work, cast):
    from tamyr.orgs.services import staff_role_grant

    staff_role_grant(
        actor=None,
        user=work["colleague"],
        role="secretary",
        node=cast["nodes"]["P1"],
        valid_from=date(2026, 1, 1),
    )
    page = me_client.get(reverse("appeals:list")).content.decode()
    assert "Ерлан Ахметов — D1 unit, reception operator; P1 unit, secretary" in options(
        page, "executor"
    )


def test_generated_staff_have_real_names(cast):
    from tamyr.core.generator.appeals import AppealGenerator

    AppealGenerator(per_year=10, years=1, seed=3, today=date(2026, 3, 2)).generate()
    generated = get_user_model().objects.filter(username__startswith="gen-")
    assert generated.count() == 6  # an operator and a secretary in each of D1, D2, D3
    cyrillic = re.compile(r"^[А-ЯЁӘҒҚҢӨҰҮҺІ][а-яёәғқңөұүһі]+$")
    for user in generated:
        assert cyrillic.match(user.first_name), user.first_name
        assert cyrillic.match(user.last_name), user.last_name
        assert user.last_name.upper() not in {"D1", "D2", "D3"}
        assert user.first_name not in {"OP", "SEC"}
