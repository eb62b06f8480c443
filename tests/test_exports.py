"""Exports: Kazakh letters survive, formulas are never run, scope holds."""

import csv
import io
from datetime import date

from django.urls import reverse

from tamyr.core.exports import spreadsheet_safe
from tamyr.members.iin import make_iin
from tamyr.members.services import member_register


def rows_of(response):
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode())  # Excel reads the BOM as UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def test_formula_cells_are_neutralised():
    assert spreadsheet_safe('=HYPERLINK("http://x")') == '\'=HYPERLINK("http://x")'
    assert spreadsheet_safe("+7 701") == "'+7 701"
    assert spreadsheet_safe("-1") == "'-1"
    assert spreadsheet_safe("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_safe("Әбдірахманов") == "Әбдірахманов"


def test_member_export_keeps_kazakh_letters_and_stays_in_scope(client, cast):
    member_register(
        actor=None,
        ppo=cast["nodes"]["P1"],
        person_data={
            "surname": "=Әбдіғұлұлы",
            "given_name": "Өңірбек",
            "patronymic": "Һәкімұлы",
            "iin": make_iin(date(1985, 5, 5), "m", 31),
            "gender": "m",
            "birth_date": date(1985, 5, 5),
            "phone": "",
            "address": "",
            "sector": "business",
            "education": "higher",
        },
        membership_data={"admitted_on": date(2020, 1, 1)},
    )
    client.force_login(cast["users"]["district_secretary"])
    rows = rows_of(client.get(reverse("members:export")))
    assert rows[0][:3] == ["Surname", "Name", "Patronymic"]
    names = sorted((r[0], r[1], r[2]) for r in rows[1:])
    assert names == [("'=Әбдіғұлұлы", "Өңірбек", "Һәкімұлы"), ("Сейітов2", "Ерлан", "")]


def test_export_headers_follow_the_language(client, cast):
    client.force_login(cast["users"]["analyst"])
    rows = rows_of(client.get(reverse("members:export"), HTTP_ACCEPT_LANGUAGE="kk"))
    assert rows[0][0] == "Тегі"
    assert rows[0][3] == "ЖСН"
