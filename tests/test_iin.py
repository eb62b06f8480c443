from datetime import date

import pytest

from tamyr.members.iin import IINError, iin_check_digit, make_iin, parse_iin


def test_parses_a_published_example():
    # 1987-01-01, man born in the 20th century: 7th digit 3.
    iin = make_iin(date(1987, 1, 1), "m", 1234)
    assert iin is not None and iin.startswith("8701013")
    parsed = parse_iin(iin)
    assert parsed.birth_date == date(1987, 1, 1)
    assert parsed.sex == "m"


def test_check_digit_uses_the_second_weights_when_the_first_pass_gives_ten():
    # Search for eleven digits whose first pass gives 10, then check the second pass is used.
    for serial in range(10000):
        first = f"9005124{serial:04d}"
        if sum(int(d) * w for d, w in zip(first, range(1, 12), strict=True)) % 11 == 10:
            second = (
                sum(
                    int(d) * w
                    for d, w in zip(first, (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), strict=True)
                )
                % 11
            )
            assert iin_check_digit(first) == (None if second == 10 else second)
            break
    else:
        pytest.fail("no first-pass 10 found")


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("12345", "format"),
        ("87010130123a", "format"),
        ("８７０１０１３０１２３４", "format"),  # full-width digits are not an IIN
        ("870101701234", "century"),
        ("870230301234", "birth_date"),
    ],
)
def test_rejects_malformed_iins(value, code):
    with pytest.raises(IINError) as exc:
        parse_iin(value)
    assert exc.value.code == code


def test_rejects_a_wrong_check_digit():
    iin = make_iin(date(1995, 6, 30), "f", 42)
    assert iin is not None
    wrong = iin[:11] + str((int(iin[11]) + 1) % 10)
    with pytest.raises(IINError) as exc:
        parse_iin(wrong)
    assert exc.value.code == "check_digit"


@pytest.mark.parametrize(
    ("birth", "sex", "digit"),
    [
        (date(1899, 12, 31), "f", "2"),
        (date(1950, 5, 5), "m", "3"),
        (date(1950, 5, 5), "f", "4"),
        (date(2004, 2, 29), "m", "5"),
        (date(2004, 2, 29), "f", "6"),
    ],
)
def test_century_and_sex_digit(birth, sex, digit):
    iin = next(i for s in range(100) if (i := make_iin(birth, sex, s)))
    assert iin[6] == digit
    assert parse_iin(iin).birth_date == birth
