"""The whole role-by-object access matrix, with exact expected results.

Each role (anchored at a node of the cast) meets objects at positions relative to its node:
its own node, a child, a sibling, the parent, and another region. Members live only in PPOs, so
a member "at" a position is the member of a PPO at or under that node. Expected values:

- a status code (200, 201, 302, 403, 404, 400, 401);
- ``yes``/``no``: the object appears (or not) in the list or export;
- ``invalid``: the form is shown again with an error and nothing is saved.

Every value is written out by hand; nothing is derived from the code under test.
"""

import csv
import io
import itertools
from datetime import date

import pytest
from django.urls import reverse

from tamyr.members.iin import make_iin
from tamyr.members.models import Person
from tamyr.orgs.models import Node
from tests.cast import PASSWORD

NODE_ACTIONS = [
    "list", "detail", "children", "history", "create", "update", "delete", "move", "merge",
    "export", "api_list", "api_detail", "api_create", "api_update",
]  # fmt: skip
MEMBER_ACTIONS = [
    "list", "detail", "history", "create", "update", "delete", "export",
    "api_list", "api_detail", "api_create", "api_update",
]  # fmt: skip

# Node positions relative to each anchor, as cast codes.
NODE_POSITIONS = {
    "HQ": {"own": "HQ", "child": "R1", "sibling": "JAS", "other_region": "D3"},
    "R1": {"own": "R1", "child": "D1", "sibling": "R2", "parent": "HQ", "other_region": "D3"},
    "D1": {"own": "D1", "child": "P1", "sibling": "D2", "parent": "R1", "other_region": "D3"},
}
# The PPO whose member stands at each position.
MEMBER_POSITIONS = {
    "HQ": {"own": "PH", "child": "PR1", "sibling": "JP1", "other_region": "P3"},
    "R1": {"own": "PR1", "child": "P1", "sibling": "P3", "parent": "PH", "other_region": "P3"},
    "D1": {"own": "P1", "child": "P1", "sibling": "P2", "parent": "PR1", "other_region": "P3"},
}
ANCHOR = {
    "national_admin": "HQ",
    "regional_secretary": "R1",
    "district_secretary": "D1",
    "reception_operator": "D1",
    "analyst": "D1",
    "juror": "D1",
    "observer": "D1",
    "nobody": "D1",
    "anonymous": "D1",
}

# list detail children history create update delete move merge export api_list api_detail
# api_create api_update; "delete", "move" and "merge" open their confirmation forms.
ALL = "yes 200 200 200 302 302 200 200 200 yes yes 200 201 200"
NOTHING = "no 404 404 404 404 404 404 404 404 no no 404 404 404"
VIEW_ONLY_IN = "yes 200 200 403 403 403 403 403 403 403 yes 200 403 403"
VIEW_ONLY_OUT = "no 404 404 404 404 404 404 404 404 403 no 404 404 404"
VIEW_EXPORT_IN = "yes 200 200 403 403 403 403 403 403 yes yes 200 403 403"
NO_ROLE = "403 404 404 404 404 404 404 404 404 403 403 404 404 404"
ANONYMOUS = "302 302 302 302 302 302 302 302 302 302 401 401 401 401"
# The central office and the youth wing's root never move or merge.
ADMIN_ROOT = "yes 200 200 200 302 302 200 400 400 yes yes 200 201 200"
SECRETARY_OWN = "yes 200 200 200 302 403 403 403 403 yes yes 200 201 403"

NODE_EXPECTED = {
    "national_admin": {"own": ADMIN_ROOT, "child": ALL, "sibling": ADMIN_ROOT, "other_region": ALL},
    "regional_secretary": {
        "own": SECRETARY_OWN,
        "child": ALL,
        "sibling": NOTHING,
        "parent": NOTHING,
        "other_region": NOTHING,
    },
    "district_secretary": {
        "own": SECRETARY_OWN,
        # A PPO has nothing under it: the form and the API refuse a child.
        "child": "yes 200 200 200 invalid 302 200 200 200 yes yes 200 400 200",
        "sibling": NOTHING,
        "parent": NOTHING,
        "other_region": NOTHING,
    },
    "reception_operator": {
        "own": VIEW_ONLY_IN,
        "child": VIEW_ONLY_IN,
        "sibling": VIEW_ONLY_OUT,
        "parent": VIEW_ONLY_OUT,
        "other_region": VIEW_ONLY_OUT,
    },
    "juror": {
        "own": VIEW_ONLY_IN,
        "child": VIEW_ONLY_IN,
        "sibling": VIEW_ONLY_OUT,
        "parent": VIEW_ONLY_OUT,
        "other_region": VIEW_ONLY_OUT,
    },
    "observer": {
        "own": VIEW_ONLY_IN,
        "child": VIEW_ONLY_IN,
        "sibling": VIEW_ONLY_OUT,
        "parent": VIEW_ONLY_OUT,
        "other_region": VIEW_ONLY_OUT,
    },
    "analyst": {
        "own": VIEW_EXPORT_IN,
        "child": VIEW_EXPORT_IN,
        "sibling": NOTHING,
        "parent": NOTHING,
        "other_region": NOTHING,
    },
    "nobody": dict.fromkeys(("own", "child", "sibling", "parent", "other_region"), NO_ROLE),
    "anonymous": dict.fromkeys(("own", "child", "sibling", "parent", "other_region"), ANONYMOUS),
}

M_ALL = "yes 200 200 302 302 200 yes yes 200 201 200"
M_SECRETARY_IN = "yes 200 200 302 302 403 yes yes 200 201 200"
M_SECRETARY_OUT = "no 404 404 invalid 404 404 no no 404 400 404"
M_VIEW_IN = "yes 200 403 403 403 403 403 yes 200 403 403"
M_VIEW_OUT = "no 404 404 403 404 404 403 no 404 403 404"
M_VIEW_EXPORT_IN = "yes 200 403 403 403 403 yes yes 200 403 403"
M_VIEW_EXPORT_OUT = "no 404 404 403 404 404 no no 404 403 404"
M_NONE = "403 404 404 403 404 404 403 403 404 403 404"
M_ANONYMOUS = "302 302 302 302 302 302 302 401 401 401 401"
EVERY = ("own", "child", "sibling", "parent", "other_region")

MEMBER_EXPECTED = {
    "national_admin": dict.fromkeys(("own", "child", "sibling", "other_region"), M_ALL),
    "regional_secretary": {
        "own": M_SECRETARY_IN,
        "child": M_SECRETARY_IN,
        "sibling": M_SECRETARY_OUT,
        "parent": M_SECRETARY_OUT,
        "other_region": M_SECRETARY_OUT,
    },
    "district_secretary": {
        "own": M_SECRETARY_IN,
        "child": M_SECRETARY_IN,
        "sibling": M_SECRETARY_OUT,
        "parent": M_SECRETARY_OUT,
        "other_region": M_SECRETARY_OUT,
    },
    "reception_operator": dict.fromkeys(EVERY, M_NONE),
    "juror": dict.fromkeys(EVERY, M_NONE),
    "observer": {
        "own": M_VIEW_IN,
        "child": M_VIEW_IN,
        "sibling": M_VIEW_OUT,
        "parent": M_VIEW_OUT,
        "other_region": M_VIEW_OUT,
    },
    "analyst": {
        "own": M_VIEW_EXPORT_IN,
        "child": M_VIEW_EXPORT_IN,
        "sibling": M_VIEW_EXPORT_OUT,
        "parent": M_VIEW_EXPORT_OUT,
        "other_region": M_VIEW_EXPORT_OUT,
    },
    "nobody": dict.fromkeys(EVERY, M_NONE),
    "anonymous": dict.fromkeys(EVERY, M_ANONYMOUS),
}

# How many open nodes and members each user's lists hold, exactly ("403": refused).
LIST_COUNTS = {
    "national_admin": (14, 6),
    "regional_secretary": (6, 3),
    "district_secretary": (2, 1),
    "reception_operator": (2, "403"),
    "juror": (2, "403"),
    "observer": (2, 1),
    "analyst": (2, 1),
    "nobody": ("403", "403"),
}

# Pages that belong to no object: user -> expected result for each.
PAGE_ROWS = [
    "home", "login", "logout", "set_language", "text_size", "api_root", "api_schema",
    "api_token", "admin",
]  # fmt: skip
PAGE_EXPECTED = {
    "superuser": "200 200 302 302 302 200 200 200 200",
    # The OpenAPI schema describes the API, not its data, so clients may read it first.
    "anonymous": "302 200 302 302 302 401 200 400 302",
    **dict.fromkeys(
        [
            "national_admin",
            "regional_secretary",
            "district_secretary",
            "reception_operator",
            "analyst",
            "juror",
            "observer",
            "nobody",
        ],
        "200 200 302 302 302 200 200 200 403",
    ),
}

# Which URL each action goes through: the coverage test below checks every URL has a row.
ACTION_URLS = {
    ("node", "list"): "orgs:tree",
    ("node", "detail"): "orgs:detail",
    ("node", "children"): "orgs:children",
    ("node", "history"): "orgs:history",
    ("node", "create"): "orgs:add",
    ("node", "update"): "orgs:edit",
    ("node", "delete"): "orgs:close",
    ("node", "move"): "orgs:move",
    ("node", "merge"): "orgs:merge",
    ("node", "export"): "orgs:export",
    ("node", "api_list"): "api:node-list",
    ("node", "api_detail"): "api:node-detail",
    ("node", "api_create"): "api:node-list",
    ("node", "api_update"): "api:node-detail",
    ("member", "list"): "members:list",
    ("member", "detail"): "members:detail",
    ("member", "history"): "members:history",
    ("member", "create"): "members:add",
    ("member", "update"): "members:edit",
    ("member", "delete"): "members:delete",
    ("member", "export"): "members:export",
    ("member", "api_list"): "api:member-list",
    ("member", "api_detail"): "api:member-detail",
    ("member", "api_create"): "api:member-list",
    ("member", "api_update"): "api:member-detail",
    ("page", "home"): "core:home",
    ("page", "login"): "login",
    ("page", "logout"): "logout",
    ("page", "set_language"): "set_language",
    ("page", "text_size"): "core:text_size",
    ("page", "api_root"): "api:api-root",
    ("page", "api_schema"): "api:schema",
    ("page", "api_token"): "api:token",
    ("page", "admin"): "admin:index",
}


def _cases():
    for user, positions in NODE_EXPECTED.items():
        for position, row in positions.items():
            values = row.split()
            assert len(values) == len(NODE_ACTIONS), (user, position)
            for action, expected in zip(NODE_ACTIONS, values, strict=True):
                yield pytest.param(
                    user, "node", position, action, expected, id=f"{user}-node-{position}-{action}"
                )
    for user, positions in MEMBER_EXPECTED.items():
        for position, row in positions.items():
            values = row.split()
            assert len(values) == len(MEMBER_ACTIONS), (user, position)
            for action, expected in zip(MEMBER_ACTIONS, values, strict=True):
                yield pytest.param(
                    user,
                    "member",
                    position,
                    action,
                    expected,
                    id=f"{user}-member-{position}-{action}",
                )


def _client(client, cast, username):
    if username != "anonymous":
        client.force_login(cast["users"][username])
    return client


_serial = itertools.count(5000)


def _new_person_data(ppo_pk):
    birth = date(1990, 4, 12)
    iin = None
    while iin is None:
        iin = make_iin(birth, "f", next(_serial))
    return {
        "surname": "Жаңабаева",
        "given_name": "Әйгерім",
        "patronymic": "Қанатқызы",
        "iin": iin,
        "gender": "f",
        "birth_date": "1990-04-12",
        "phone": "+7 701 555 44 33",
        "address": "",
        "sector": "health",
        "education": "higher",
        "ppo": ppo_pk,
        "admitted_on": "2024-03-01",
        "card_number": "",
        "card_issued_on": "",
    }


def _node_form(node: Node) -> dict:
    return {
        "code": node.code,
        "name_kk": node.name_kk,
        "name_ru": node.name_ru,
        "name_en": "Renamed by the matrix",
        "host_kind": node.host_kind,
        "address": "",
        "opened_on": node.opened_on.isoformat(),
        "version": node.version,
    }


def _person_form(person: Person) -> dict:
    membership = person.memberships.first()
    return {
        "surname": person.surname,
        "given_name": person.given_name,
        "patronymic": person.patronymic,
        "iin": person.iin,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat(),
        "phone": person.phone,
        "address": "Changed by the matrix",
        "sector": person.sector,
        "education": person.education,
        "card_number": membership.card_number or "",
        "card_issued_on": membership.card_issued_on.isoformat()
        if membership.card_issued_on
        else "",
        "version": person.version,
    }


def _in_csv(response, needle: str) -> str:
    if response.status_code != 200:
        return str(response.status_code)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    return "yes" if needle in cells else "no"


def _in_page(response, needle: str) -> str:
    if response.status_code != 200:
        return str(response.status_code)
    return "yes" if needle in response.content.decode() else "no"


def _in_api(response, pk: int) -> str:
    if response.status_code != 200:
        return str(response.status_code)
    return "yes" if pk in [row["id"] for row in response.json()["results"]] else "no"


def run_node_action(client, node: Node, action: str) -> str:
    detail = reverse("orgs:detail", args=[node.pk])
    if action == "list":
        return _in_page(client.get(reverse("orgs:tree"), {"q": node.code}), f'href="{detail}"')
    if action == "detail":
        return str(client.get(detail).status_code)
    if action == "children":
        return str(client.get(reverse("orgs:children", args=[node.pk])).status_code)
    if action == "history":
        return str(client.get(reverse("orgs:history", args=[node.pk])).status_code)
    if action == "create":
        before = Node.objects.count()
        response = client.post(
            reverse("orgs:add", args=[node.pk]),
            {
                "kind": "primary",
                "code": "NEW-PPO",
                "name_kk": "Жаңа БПҰ",
                "opened_on": "2020-01-01",
            },
        )
        created = Node.objects.count() - before
        if created:
            assert response.status_code == 302
            assert Node.objects.get(code="NEW-PPO").path.startswith(node.path)
            return "302"
        return (
            "invalid"
            if response.status_code == 200 and response.context["form"].errors
            else str(response.status_code)
        )
    if action == "update":
        response = client.post(reverse("orgs:edit", args=[node.pk]), _node_form(node))
        renamed = Node.objects.get(pk=node.pk).name_en == "Renamed by the matrix"
        assert renamed == (response.status_code == 302 and "login" not in response.url)
        return str(response.status_code)
    if action in ("delete", "move", "merge"):
        name = {"delete": "orgs:close", "move": "orgs:move", "merge": "orgs:merge"}[action]
        return str(client.get(reverse(name, args=[node.pk])).status_code)
    if action == "export":
        response = client.get(reverse("orgs:export"))
        return _in_csv(response, node.code)
    if action == "api_list":
        return _in_api(client.get(reverse("api:node-list"), {"q": node.code}), node.pk)
    if action == "api_detail":
        return str(client.get(reverse("api:node-detail", args=[node.pk])).status_code)
    if action == "api_create":
        before = Node.objects.count()
        response = client.post(
            reverse("api:node-list"),
            {
                "parent": node.pk,
                "kind": "primary",
                "code": "API-PPO",
                "name_kk": "API БПҰ",
                "opened_on": "2020-01-01",
            },
            content_type="application/json",
        )
        assert (Node.objects.count() - before) == (1 if response.status_code == 201 else 0)
        return str(response.status_code)
    if action == "api_update":
        response = client.patch(
            reverse("api:node-detail", args=[node.pk]),
            {"name_en": "Renamed by the API", "version": node.version},
            content_type="application/json",
        )
        renamed = Node.objects.get(pk=node.pk).name_en == "Renamed by the API"
        assert renamed == (response.status_code == 200)
        return str(response.status_code)
    raise AssertionError(action)


def run_member_action(client, person: Person, ppo: Node, action: str) -> str:
    detail = reverse("members:detail", args=[person.pk])
    if action == "list":
        response = client.get(reverse("members:list"), {"q": person.iin})
        return _in_page(response, f'href="{detail}"')
    if action == "detail":
        return str(client.get(detail).status_code)
    if action == "history":
        return str(client.get(reverse("members:history", args=[person.pk])).status_code)
    if action == "create":
        data = _new_person_data(ppo.pk)
        response = client.post(reverse("members:add"), data)
        created = Person.objects.filter(iin=data["iin"]).first()
        if created is not None:
            assert response.status_code == 302 and created.ppo_id == ppo.pk
            return "302"
        return (
            "invalid"
            if response.status_code == 200 and response.context["form"].errors
            else str(response.status_code)
        )
    if action == "update":
        response = client.post(reverse("members:edit", args=[person.pk]), _person_form(person))
        changed = Person.objects.get(pk=person.pk).address == "Changed by the matrix"
        assert changed == (response.status_code == 302 and "login" not in response.url)
        return str(response.status_code)
    if action == "delete":
        return str(client.get(reverse("members:delete", args=[person.pk])).status_code)
    if action == "export":
        return _in_csv(client.get(reverse("members:export")), person.iin)
    if action == "api_list":
        return _in_api(client.get(reverse("api:member-list"), {"q": person.iin}), person.pk)
    if action == "api_detail":
        return str(client.get(reverse("api:member-detail", args=[person.pk])).status_code)
    if action == "api_create":
        data = _new_person_data(ppo.pk)
        data = {k: v for k, v in data.items() if v != ""}
        response = client.post(reverse("api:member-list"), data, content_type="application/json")
        created = Person.objects.filter(iin=data["iin"]).exists()
        assert created == (response.status_code == 201)
        return str(response.status_code)
    if action == "api_update":
        response = client.patch(
            reverse("api:member-detail", args=[person.pk]),
            {"address": "Changed by the API", "version": person.version},
            content_type="application/json",
        )
        changed = Person.objects.get(pk=person.pk).address == "Changed by the API"
        assert changed == (response.status_code == 200)
        return str(response.status_code)
    raise AssertionError(action)


@pytest.mark.parametrize(("user", "kind", "position", "action", "expected"), list(_cases()))
def test_access_matrix(client, cast, user, kind, position, action, expected):
    client = _client(client, cast, user)
    anchor = ANCHOR[user]
    if kind == "node":
        node = cast["nodes"][NODE_POSITIONS[anchor][position]]
        assert run_node_action(client, node, action) == expected
    else:
        ppo_code = MEMBER_POSITIONS[anchor][position]
        person = cast["members"][ppo_code]
        assert run_member_action(client, person, cast["nodes"][ppo_code], action) == expected


@pytest.mark.parametrize("user", list(LIST_COUNTS))
def test_list_counts_are_exact(client, cast, user):
    client = _client(client, cast, user)
    nodes_expected, members_expected = LIST_COUNTS[user]
    nodes = client.get(reverse("api:node-list"))
    members = client.get(reverse("api:member-list"))
    assert (
        nodes.json()["count"] if nodes.status_code == 200 else str(nodes.status_code)
    ) == nodes_expected
    assert (
        members.json()["count"] if members.status_code == 200 else str(members.status_code)
    ) == members_expected
    page = client.get(reverse("members:list"))
    web = page.context["page"].paginator.count if page.status_code == 200 else "403"
    assert web == members_expected


def run_page(client, cast, username: str, row: str) -> str:
    if row == "home":
        return str(client.get(reverse("core:home")).status_code)
    if row == "login":
        return str(client.get(reverse("login")).status_code)
    if row == "logout":
        return str(client.post(reverse("logout")).status_code)
    if row == "set_language":
        return str(
            client.post(reverse("set_language"), {"language": "ru", "next": "/"}).status_code
        )
    if row == "text_size":
        return str(client.post(reverse("core:text_size"), {"size": "large"}).status_code)
    if row == "api_root":
        return str(client.get(reverse("api:api-root")).status_code)
    if row == "api_schema":
        return str(client.get(reverse("api:schema")).status_code)
    if row == "api_token":
        name = {"anonymous": "nobody", "superuser": "root"}.get(username, username)
        password = PASSWORD if username != "anonymous" else "wrong password"
        return str(
            client.post(reverse("api:token"), {"username": name, "password": password}).status_code
        )
    if row == "admin":
        return str(client.get(reverse("admin:index")).status_code)
    raise AssertionError(row)


@pytest.mark.parametrize(
    ("user", "row", "expected"),
    [
        pytest.param(u, r, e, id=f"{u}-{r}")
        for u, line in PAGE_EXPECTED.items()
        for r, e in zip(PAGE_ROWS, line.split(), strict=True)
    ],
)
def test_page_matrix(client, cast, user, row, expected):
    if user == "superuser":
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username="root"))
    else:
        client = _client(client, cast, user)
    assert run_page(client, cast, user, row) == expected


def _project_url_names():
    from django.urls import URLPattern, URLResolver, get_resolver

    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                name = p.name or f"<unnamed {p.pattern}>"
                names.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_has_a_row_in_the_matrix():
    covered = set(ACTION_URLS.values())
    # The admin is one row: superusers only, each of its pages behind the same gate.
    missing = sorted(
        n for n in _project_url_names() if n not in covered and not n.startswith("admin:")
    )
    assert missing == []


def test_matrix_rows_name_real_urls():
    names = _project_url_names()
    assert sorted(set(ACTION_URLS.values()) - names) == []
