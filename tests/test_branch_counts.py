"""The figures on the home page and on each branch's page equal a direct count of the records.

A tree of its own (three regions and a city, three districts each, three PPOs a district, a PPO
under a region and one under the central office, closed and merged nodes, members active,
suspended, gone and transferred) is built while the test keeps, in plain Python, where each
node stands and what became of each member. Every card of the rendered pages is read back from
the HTML and compared with what that bookkeeping says.
"""

import re
from collections import Counter
from datetime import date, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from tamyr.members.iin import make_iin
from tamyr.members.lifecycle import member_transfer, membership_change
from tamyr.members.services import member_register
from tamyr.orgs.models import Node, NodeKind, Role, Wing
from tamyr.orgs.services import node_close, node_create, node_merge, staff_role_grant

pytestmark = pytest.mark.django_db

FROZEN = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Almaty"))
BRANCH_KINDS = {NodeKind.REGION, NodeKind.CITY, NodeKind.DISTRICT}


# -- reading the pages -----------------------------------------------------------------------


class Element:
    def __init__(self, tag: str, attrs: dict[str, str], parent: "Element | None"):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children).strip()

    def find_all(self, tag: str, cls: str | None = None) -> list["Element"]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if child.tag == tag and (cls is None or cls in child.classes):
                    found.append(child)
                found += child.find_all(tag, cls)
        return found


class Page(HTMLParser):
    """A small DOM of a rendered page, enough to read its figure cards."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "source", "col", "wbr"}

    def __init__(self, html: str):
        super().__init__()
        self.root = Element("document", {}, None)
        self.current = self.root
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in self.VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def number(text: str) -> int:
    """Read a figure whatever grouping of thousands the language writes."""
    return int(re.sub(r"\D", "", text))


def figures(dl: Element) -> dict[str, int]:
    """Return a figures list's counts as {label: number}; the size category is a word."""
    found = {}
    for pair in dl.find_all("div"):
        label, shown = pair.find_all("dt")[0].text(), pair.find_all("dd")[0].text()
        if label != "Size category":
            found[label] = number(shown)
    return found


def home_cards(html: str) -> dict[str, dict[str, int]]:
    """Return the home page's cards by the node their heading links to."""
    cards = {}
    for section in Page(html).root.find_all("section", "card"):
        dls = section.find_all("dl", "figures")
        if dls:
            href = section.find_all("h2")[0].find_all("a")[0].attrs["href"]
            cards[href] = figures(dls[0])
    return cards


def first_figures(html: str) -> dict[str, int]:
    return figures(Page(html).root.find_all("dl", "figures")[0])


def ppos_by_size_total(html: str) -> int:
    last_card = Page(html).root.find_all("section", "card")[-1]
    return sum(number(td.text()) for td in last_card.find_all("td", "num"))


# -- the tree and its bookkeeping --------------------------------------------------------------


class Registry:
    """What the test did, kept apart from the database: nodes, their parents, and members."""

    def __init__(self, actor):
        self.actor = actor
        self.nodes: dict[str, Node] = {}
        self.parent: dict[str, str | None] = {}
        self.kind: dict[str, str] = {}
        self.closed: set[str] = set()
        self.people: dict[str, object] = {}
        self.where: dict[str, str] = {}  # member -> PPO code (where they were last registered)
        self.status: dict[str, str] = {}
        self.serial = 0

    def add(self, code: str, parent: str | None, kind: str) -> None:
        data = {
            "kind": kind,
            "code": code,
            "name_kk": f"{code} бөлімшесі",
            "name_ru": f"{code} отделение",
            "name_en": f"{code} unit",
            "opened_on": date(2001, 1, 1),
        }
        if parent is None:
            data["wing"] = Wing.PARTY
        self.nodes[code] = node_create(actor=self.actor, parent=self.nodes.get(parent), data=data)
        self.parent[code], self.kind[code] = parent, kind

    def register(self, ppo: str) -> str:
        self.serial += 1
        birth = date(1970 + self.serial % 30, 1 + self.serial % 12, 1 + self.serial % 28)
        iin = next(
            i
            for s in range(self.serial * 10, self.serial * 10 + 10)
            if (i := make_iin(birth, "f", s))
        )
        name = f"member-{self.serial}"
        self.people[name] = member_register(
            actor=self.actor,
            ppo=self.nodes[ppo],
            person_data={
                "surname": f"Сапарова{self.serial}",
                "given_name": "Айгүл",
                "patronymic": "",
                "iin": iin,
                "gender": "f",
                "birth_date": birth,
                "phone": "",
                "address": "",
                "sector": "health",
                "education": "higher",
            },
            membership_data={"admitted_on": date(2020, 1, 15)},
        )
        self.where[name], self.status[name] = ppo, "active"
        return name

    def step(self, name: str, action: str, on: date) -> None:
        membership_change(actor=self.actor, person=self.people[name], action=action, on=on)
        self.status[name] = {"suspend": "suspended", "resume": "active"}.get(action, "gone")

    def transfer(self, name: str, to: str, on: date) -> None:
        member_transfer(actor=self.actor, person=self.people[name], to_ppo=self.nodes[to], on=on)
        self.where[name] = to

    def close(self, code: str) -> None:
        node_close(actor=self.actor, node=self.nodes[code])
        self.closed.add(code)

    def merge(self, code: str, into: str) -> None:
        node_merge(actor=self.actor, node=self.nodes[code], into=self.nodes[into])
        self.closed.add(code)
        for name, ppo in self.where.items():
            if ppo == code and self.status[name] != "gone":
                self.where[name] = into

    def under(self, code: str, top: str) -> bool:
        """Whether code is strictly below top, found by climbing the parents."""
        step = self.parent[code]
        while step is not None:
            if step == top:
                return True
            step = self.parent[step]
        return False

    def expected(self, top: str) -> dict[str, int]:
        """Count, by hand, the figures a card of this node must show."""
        below = [c for c in self.nodes if self.under(c, top) and c not in self.closed]
        kinds = Counter(self.kind[c] for c in below)
        members = Counter(
            self.status[n] for n, ppo in self.where.items() if ppo == top or self.under(ppo, top)
        )
        counts = {"Active members": members["active"], "Suspended": members["suspended"]}
        if self.kind[top] != NodeKind.PRIMARY:
            counts["Primary organisations"] = kinds[NodeKind.PRIMARY]
        if self.kind[top] in (NodeKind.CENTRAL, NodeKind.REGION, NodeKind.CITY):
            counts["Branches"] = sum(kinds[k] for k in BRANCH_KINDS)
        return counts


def build(actor) -> Registry:
    """Build the tree, its members and their histories; return the bookkeeping."""
    tree = Registry(actor)
    tree.add("NX", None, NodeKind.CENTRAL)
    tree.add("NX-P", "NX", NodeKind.PRIMARY)
    for r, kind in (("A", NodeKind.REGION), ("B", NodeKind.REGION), ("C", NodeKind.CITY)):
        tree.add(r, "NX", kind)
        for d in range(1, 4):
            tree.add(f"{r}{d}", r, NodeKind.DISTRICT)
            for p in range(1, 4):
                tree.add(f"{r}{d}-{p}", f"{r}{d}", NodeKind.PRIMARY)
    tree.add("A-P", "A", NodeKind.PRIMARY)  # a PPO directly under a region

    # Members: two to four a PPO, then their lives.
    for code in [c for c in tree.nodes if tree.kind[c] == NodeKind.PRIMARY]:
        for _ in range(2 + len(code) % 3):
            tree.register(code)
    by_ppo: dict[str, list[str]] = {}
    for name, ppo in tree.where.items():
        by_ppo.setdefault(ppo, []).append(name)
    tree.step(by_ppo["A1-1"][0], "suspend", date(2025, 5, 1))
    tree.step(by_ppo["A1-2"][0], "suspend", date(2025, 5, 1))
    tree.step(by_ppo["A1-2"][1], "suspend", date(2025, 6, 1))
    tree.step(by_ppo["A1-2"][1], "resume", date(2025, 9, 1))
    tree.step(by_ppo["B2-3"][0], "suspend", date(2025, 7, 1))
    tree.step(by_ppo["A-P"][0], "leave", date(2025, 4, 1))
    tree.step(by_ppo["C3-1"][0], "death", date(2025, 8, 1))
    tree.step(by_ppo["NX-P"][0], "suspend", date(2025, 2, 1))
    tree.transfer(by_ppo["A2-1"][0], "B1-1", date(2025, 10, 1))
    tree.transfer(by_ppo["B1-2"][0], "A-P", date(2025, 11, 1))
    tree.transfer(by_ppo["B2-3"][0], "C1-2", date(2025, 11, 5))  # suspended, stays so

    # Closed: a PPO whose members all left, a district with all its PPOs, a merged PPO.
    for name in by_ppo["A3-3"]:
        tree.step(name, "leave", date(2025, 12, 1))
    tree.close("A3-3")
    for p in range(1, 4):
        for name in by_ppo[f"B3-{p}"]:
            tree.transfer(name, "B1-3", date(2026, 1, 10))
        tree.close(f"B3-{p}")
    tree.close("B3")
    tree.merge("C2-1", into="C2-2")
    return tree


@pytest.fixture
def tree():
    with time_machine.travel(FROZEN, tick=False):
        User = get_user_model()
        actor = User.objects.create_superuser("counts-root", "counts@example.org", "x")
        yield build(actor)


def secretary(tree: Registry, name: str, *codes: str):
    user = get_user_model().objects.create_user(name, f"{name}@example.org", "x")
    for code in codes:
        staff_role_grant(actor=tree.actor, user=user, role=Role.SECRETARY, node=tree.nodes[code])
    return user


def test_the_bookkeeping_holds_what_the_test_meant(tree):
    # A few figures written out, so the hand count itself is checked once.
    assert tree.expected("NX") == {
        "Active members": 77,
        "Suspended": 4,
        "Primary organisations": 24,
        "Branches": 11,
    }
    assert tree.expected("B3") == {"Active members": 0, "Suspended": 0, "Primary organisations": 0}
    assert tree.expected("C2")["Primary organisations"] == 2
    assert tree.expected("A1-2") == {"Active members": 2, "Suspended": 1}


def test_every_home_card_equals_a_direct_count(client, tree):
    with time_machine.travel(FROZEN, tick=False):
        users = {
            "NX": secretary(tree, "counts-national", "NX"),
            "mixed": secretary(tree, "counts-mixed", "A", "B2", "C3-1", "A1"),
        }
        client.force_login(users["NX"])
        cards = home_cards(client.get(reverse("core:home")).content.decode())
        assert cards == {reverse("orgs:detail", args=[tree.nodes["NX"].pk]): tree.expected("NX")}

        client.force_login(users["mixed"])
        cards = home_cards(client.get(reverse("core:home")).content.decode())
        # A1 lies inside A, so it is no card of its own.
        assert cards == {
            reverse("orgs:detail", args=[tree.nodes[c].pk]): tree.expected(c)
            for c in ("A", "B2", "C3-1")
        }


def test_every_branch_page_and_its_composition_agree_with_a_direct_count(client, tree):
    with time_machine.travel(FROZEN, tick=False):
        client.force_login(secretary(tree, "counts-national-2", "NX"))
        for code, node in tree.nodes.items():
            expected = tree.expected(code)
            page = client.get(reverse("orgs:detail", args=[node.pk])).content.decode()
            assert (code, first_figures(page)) == (code, expected)

            composition = client.get(reverse("members:composition", args=[node.pk]))
            html = composition.content.decode()
            shown = first_figures(html)
            members = expected["Active members"] + expected["Suspended"]
            assert (code, shown["Members"], shown["Suspended"]) == (
                code,
                members,
                expected["Suspended"],
            )
            open_ppos = expected.get("Primary organisations", int(code not in tree.closed))
            assert (code, ppos_by_size_total(html)) == (code, open_ppos)
