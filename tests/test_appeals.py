"""Appeals under control: intake, terms on Kazakhstan's working-day calendar, the one table of
moves, sign-off by the controller, conflicts, duplicates and reminders."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tamyr.appeals import services
from tamyr.appeals.calendar import WorkingCalendar
from tamyr.appeals.models import (
    Appeal,
    AppealStatus,
    AppealStep,
    AppealType,
    CalendarDay,
    Outcome,
    Topic,
)
from tamyr.appeals.reminders import send_term_reminders
from tamyr.appeals.selectors import appeal_flags, appeal_list
from tamyr.core.errors import ConflictError
from tamyr.core.models import AuditEvent

ALMATY = ZoneInfo("Asia/Almaty")


def at(y: int, m: int, d: int, hour: int = 11) -> datetime:
    return datetime(y, m, d, hour, tzinfo=ALMATY)


def receive(cast, **changes):
    data = {
        "actor": cast["users"]["reception_operator"],
        "channel": "call_centre",
        "topic": Topic.objects.get(code="housing"),
        "node": cast["nodes"]["D1"],
        "citizen_name": "Әсел Қайратқызы",
        "contact": "+7 701 555 44 33",
        "locality": "Қосшы",
        "text": "Ауламызда жарық жоқ, үш ай бойы жөндемейді.",
        "received_at": at(2026, 11, 2),
    }
    data.update(changes)
    return services.appeal_receive(**data)


def assign(cast, appeal, executor="district_secretary", controller="reception_operator"):
    return services.appeal_move(
        actor=cast["users"]["reception_operator"],
        appeal=appeal,
        version=appeal.version,
        action="assign",
        executor=cast["users"][executor],
        controller=cast["users"][controller],
    )


# -- the calendar ------------------------------------------------------------------------------


def test_public_holidays_and_weekends_are_not_working_days():
    calendar = WorkingCalendar(moved={})
    assert not calendar.is_working(date(2026, 12, 16))  # Independence Day
    assert not calendar.is_working(date(2026, 3, 23))  # Nauryz
    assert not calendar.is_working(date(2026, 11, 21))  # a Saturday
    assert calendar.is_working(date(2026, 11, 23))


def test_fifteen_working_days_skip_weekends_and_holidays():
    calendar = WorkingCalendar(moved={})
    # From Monday 7 December 2026: 16 December (Wednesday) is a holiday.
    assert calendar.add_working_days(date(2026, 12, 7), 15) == date(2026, 12, 29)
    assert calendar.add_working_days(date(2026, 12, 7), 3) == date(2026, 12, 10)


def test_days_moved_by_decree_override_the_library():
    calendar = WorkingCalendar(moved={date(2026, 12, 19): True, date(2026, 12, 14): False})
    assert calendar.is_working(date(2026, 12, 19))  # a Saturday worked
    assert not calendar.is_working(date(2026, 12, 14))  # a Monday off


def test_an_appeal_received_on_a_day_off_counts_from_the_next_working_day(cast):
    appeal, _secret = receive(cast, received_at=at(2026, 11, 21))  # Saturday
    assert appeal.counted_from == date(2026, 11, 23)
    assert appeal.forward_due_on == date(2026, 11, 26)
    assert appeal.due_on == date(2026, 12, 14)


def test_terms_come_from_the_appeal_type(cast):
    short = AppealType.objects.create(code="urgent", name="Urgent", answer_days=5)
    appeal, _secret = receive(cast, appeal_type=short, received_at=at(2026, 11, 23))
    assert appeal.due_on == date(2026, 11, 30)


# The day after both appeals came in, while their terms (to 14 December) still run.
@time_machine.travel(at(2026, 11, 24, hour=10), tick=False)
def test_a_moved_day_recomputes_open_terms_and_leaves_extended_ones(
    cast, django_capture_on_commit_callbacks
):
    appeal, _s = receive(cast, received_at=at(2026, 11, 23))
    extended, _s = receive(cast, received_at=at(2026, 11, 23), contact="+7 702 000 00 01")
    extended = assign(cast, extended)
    services.appeal_move(
        actor=cast["users"]["reception_operator"],
        appeal=extended,
        version=extended.version,
        action="extend",
        due_on=date(2027, 1, 15),
        reason="Needs an answer from the akimat",
    )
    assert appeal.due_on == date(2026, 12, 14)
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_set(
            actor=cast["users"]["national_admin"], day=date(2026, 11, 27), is_working=False
        )
    appeal.refresh_from_db()
    extended.refresh_from_db()
    assert appeal.due_on == date(2026, 12, 15)
    assert extended.due_on == date(2027, 1, 15)
    history = AuditEvent.objects.filter(object_type="appeals.appeal", object_id=str(appeal.pk))
    assert history.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.calendar_day_delete(
            actor=cast["users"]["national_admin"],
            entry=CalendarDay.objects.get(day=date(2026, 11, 27)),
        )
    appeal.refresh_from_db()
    assert appeal.due_on == date(2026, 12, 14)


# -- intake ------------------------------------------------------------------------------------


def test_registration_gives_a_number_a_secret_and_a_step(cast):
    first, secret = receive(cast)
    second, _s = receive(cast, contact="+7 777 111 22 33")
    assert first.number.startswith("2026-") and len(first.number) == 12
    assert int(second.number[5:]) == int(first.number[5:]) + 1
    assert len(secret) == 11 and secret[5] == "-"
    assert first.secret_hash == services.secret_hash(first.number, secret)
    assert secret not in first.secret_hash
    assert first.status == AppealStatus.REGISTERED
    assert list(first.steps.values_list("action", flat=True)) == ["register"]
    event = AuditEvent.objects.get(object_type="appeals.appeal", object_id=str(first.pk))
    assert event.node_path == cast["nodes"]["D1"].path
    assert "secret_hash" not in event.after


def test_anonymous_and_empty_appeals_are_recorded_and_not_considered(cast):
    anonymous, _s = receive(cast, citizen_name="", contact="")
    empty, _s = receive(cast, text="   ")
    for appeal in (anonymous, empty):
        assert appeal.status == AppealStatus.CLOSED
        assert appeal.outcome == Outcome.NOT_CONSIDERED
        assert appeal.closed_on == date(2026, 11, 2)
    assert "Anonymous" in anonymous.answer


def test_script_in_the_text_is_kept_as_text(cast):
    appeal, _s = receive(cast, text="<script>alert(1)</script> Жарық жоқ\x00")
    assert appeal.text == "<script>alert(1)</script> Жарық жоқ"


def test_a_future_date_is_refused(cast):
    with pytest.raises(ValidationError) as error:
        receive(cast, received_at=datetime.now(ALMATY) + timedelta(days=2))
    assert "received_at" in error.value.message_dict


def pdf(name="answer.pdf", body=b"%PDF-1.4 test"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def test_attachments_are_checked_by_content(cast):
    before = Appeal.objects.count()
    appeal, _s = receive(cast, files=[pdf()])
    assert appeal.attachments.get().content_type == "application/pdf"
    with pytest.raises(ValidationError) as error:
        receive(cast, files=[pdf("photo.pdf", b"MZ\x90\x00 an executable")])
    assert "not what its name says" in str(error.value)
    with pytest.raises(ValidationError) as error:
        receive(cast, files=[pdf("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024))])
    assert "larger than 5 MB" in str(error.value)
    with pytest.raises(ValidationError) as error:
        receive(cast, files=[pdf("run.exe", b"MZ")])
    assert "PDF, JPEG, PNG or DOCX" in str(error.value)
    assert Appeal.objects.count() == before + 1


def test_a_docx_must_be_a_word_document_not_any_zip(cast):
    import zipfile

    def archive(member):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr(member, "x")
        return buffer.getvalue()

    receive(cast, files=[SimpleUploadedFile("letter.docx", archive("word/document.xml"))])
    with pytest.raises(ValidationError):
        receive(cast, files=[SimpleUploadedFile("letter.docx", archive("payload.js"))])


def test_the_same_citizen_with_a_similar_text_within_30_days_is_flagged_not_merged(cast):
    first, _s = receive(cast, received_at=at(2026, 10, 1))
    again, _s = receive(
        cast, received_at=at(2026, 10, 20), contact="8 (701) 555-44-33",
        text="Ауламызда жарық жоқ, үш ай бойы ешкім жөндемейді!",
    )  # fmt: skip
    other_topic, _s = receive(cast, received_at=at(2026, 10, 20), text="Мектепке автобус керек.")
    late, _s = receive(cast, received_at=at(2026, 11, 10))
    assert again.possible_duplicate_of == first
    assert other_topic.possible_duplicate_of is None
    assert late.possible_duplicate_of == again  # within 30 days of the second one
    assert Appeal.objects.filter(pk__in=[first.pk, again.pk, other_topic.pk, late.pk]).count() == 4


# -- moves -------------------------------------------------------------------------------------


def test_the_whole_road_from_registration_to_sign_off(cast):
    appeal, _s = receive(cast)
    appeal = assign(cast, appeal)
    assert appeal.status == AppealStatus.IN_WORK
    appeal = services.appeal_move(
        actor=cast["users"]["district_secretary"],
        appeal=appeal,
        version=appeal.version,
        action="answer",
        outcome=Outcome.RESOLVED_FULLY,
        answer="Жарық 20 қарашада қосылды.",
    )
    assert appeal.status == AppealStatus.ANSWER_PREPARED
    appeal = services.appeal_move(
        actor=cast["users"]["reception_operator"],
        appeal=appeal,
        version=appeal.version,
        action="close",
        sign_off=True,
    )
    assert appeal.status == AppealStatus.CLOSED
    assert appeal.signed_off_by == cast["users"]["reception_operator"]
    assert list(appeal.steps.values_list("action", flat=True)) == [
        "register", "assign", "answer", "close",
    ]  # fmt: skip
    assert AuditEvent.objects.filter(object_type="appeals.appeal", action="update").count() == 3


def test_closing_needs_the_controllers_sign_off(cast):
    appeal, _s = receive(cast)
    appeal = assign(cast, appeal)
    appeal = services.appeal_move(
        actor=cast["users"]["district_secretary"], appeal=appeal, version=appeal.version,
        action="answer", outcome=Outcome.EXPLAINED, answer="Түсіндірілді.",
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.appeal_move(
            actor=cast["users"]["district_secretary"], appeal=appeal, version=appeal.version,
            action="close", sign_off=True,
        )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.appeal_move(
            actor=cast["users"]["reception_operator"], appeal=appeal, version=appeal.version,
            action="close", sign_off=False,
        )  # fmt: skip
    assert "sign_off" in error.value.message_dict
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ANSWER_PREPARED


def test_moves_outside_the_table_are_refused(cast):
    appeal, _s = receive(cast)
    with pytest.raises(ValidationError, match="cannot be moved this way"):
        services.appeal_move(
            actor=cast["users"]["reception_operator"], appeal=appeal, version=appeal.version,
            action="close", sign_off=True,
        )  # fmt: skip
    assert services.actions_from(AppealStatus.CLOSED) == ["reopen"]


def test_a_second_editor_gets_a_conflict_and_nothing_is_lost(cast):
    appeal, _s = receive(cast)
    stale_version = appeal.version
    assign(cast, appeal)
    with pytest.raises(ConflictError):
        services.appeal_move(
            actor=cast["users"]["reception_operator"], appeal=appeal, version=stale_version,
            action="assign", executor=cast["users"]["regional_secretary"],
            controller=cast["users"]["reception_operator"],
        )  # fmt: skip
    appeal.refresh_from_db()
    assert appeal.executor == cast["users"]["district_secretary"]


def test_executors_are_chosen_among_those_who_work_at_the_branch(cast):
    appeal, _s = receive(cast)
    with pytest.raises(ValidationError) as error:
        assign(cast, appeal, executor="district_b_secretary")
    assert "executor" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        assign(cast, appeal, executor="reception_operator")
    assert "controller" in error.value.message_dict


def test_someone_outside_the_subtree_cannot_move_the_appeal(cast):
    appeal, _s = receive(cast)
    with pytest.raises(PermissionDenied):
        services.appeal_move(
            actor=cast["users"]["district_b_secretary"], appeal=appeal, version=appeal.version,
            action="assign", executor=cast["users"]["district_secretary"],
            controller=cast["users"]["reception_operator"],
        )  # fmt: skip


# Four days after receipt, while the term (to 7 December) still runs.
@time_machine.travel(at(2026, 11, 20, hour=10), tick=False)
def test_an_extension_is_reasoned_limited_to_two_months_and_asks_for_notice(cast):
    appeal, _s = receive(cast, received_at=at(2026, 11, 16))
    appeal = assign(cast, appeal)
    operator = cast["users"]["reception_operator"]
    with pytest.raises(ValidationError) as error:
        services.appeal_move(
            actor=operator, appeal=appeal, version=appeal.version, action="extend",
            due_on=date(2027, 1, 20), reason="",
        )  # fmt: skip
    assert set(error.value.message_dict) == {"due_on", "reason"}
    appeal = services.appeal_move(
        actor=operator, appeal=appeal, version=appeal.version, action="extend",
        due_on=date(2027, 1, 15), reason="The akimat's answer is awaited",
    )  # fmt: skip
    assert appeal.due_on == date(2027, 1, 15)
    assert appeal.notice_due_on is not None
    appeal = services.appeal_move(
        actor=operator, appeal=appeal, version=appeal.version, action="notify",
        on=appeal.extended_on,
    )  # fmt: skip
    assert appeal.citizen_notified_on == appeal.extended_on


def test_reopening_clears_the_outcome_and_needs_a_reason(cast):
    appeal, _s = receive(cast, citizen_name="", contact="")
    with pytest.raises(ValidationError):
        services.appeal_move(
            actor=cast["users"]["reception_operator"], appeal=appeal, version=appeal.version,
            action="reopen", note="",
        )  # fmt: skip
    appeal = services.appeal_move(
        actor=cast["users"]["reception_operator"], appeal=appeal, version=appeal.version,
        action="reopen", note="The citizen called back and gave a name",
    )  # fmt: skip
    assert (appeal.status, appeal.outcome, appeal.closed_on) == (AppealStatus.REOPENED, "", None)
    assert AppealStep.objects.filter(appeal=appeal, action="reopen").get().note.startswith("The")


# -- flags and reminders -----------------------------------------------------------------------


# The list's "overdue" is read on 2 December, the day the flags below are asked about.
@time_machine.travel(at(2026, 12, 2, hour=10), tick=False)
def test_overdue_and_due_soon_flags_and_list_filters(cast):
    old, _s = receive(cast, received_at=at(2026, 9, 1))
    recent, _s = receive(cast, received_at=at(2026, 11, 16), contact="+7 701 000 00 02")
    assert recent.due_on == date(2026, 12, 7)
    today = date(2026, 12, 2)
    assert appeal_flags(old, today) == "overdue"
    assert appeal_flags(recent, today, soon=date(2026, 12, 7)) == "due_soon"
    assert appeal_flags(recent, today, soon=date(2026, 12, 4)) == ""
    operator = cast["users"]["reception_operator"]
    overdue = appeal_list(user=operator, term="overdue")
    assert list(overdue) == [old]
    other_district = appeal_list(user=cast["users"]["district_b_secretary"])
    assert [a.node.code for a in other_district] == ["P2"]


def test_reminders_go_once_to_each_executor_and_controller(cast, settings):
    settings.LANGUAGE_CODE = "en"
    appeal, _s = receive(cast, received_at=at(2026, 9, 1))
    assign(cast, appeal)
    mail.outbox.clear()
    assert send_term_reminders() == 2
    assert sorted(m.to[0] for m in mail.outbox) == [
        "district_secretary@example.org", "reception_operator@example.org",
    ]  # fmt: skip
    assert appeal.number in mail.outbox[0].body and "overdue" in mail.outbox[0].body


# -- what the review found ---------------------------------------------------------------------


def test_a_duplicate_is_looked_for_in_the_region_only(cast):
    first, _s = receive(cast, node=cast["nodes"]["D3"], received_at=at(2026, 11, 10))
    again, _s = receive(cast, received_at=at(2026, 11, 12))  # same citizen, D1 in R1
    assert again.possible_duplicate_of is None
    same_region, _s = receive(cast, node=cast["nodes"]["D2"], received_at=at(2026, 11, 13))
    assert same_region.possible_duplicate_of == again
    assert first.pk


def test_the_controller_cannot_answer_and_whoever_answered_cannot_sign_off(cast):
    appeal, _s = receive(cast, received_at=at(2026, 11, 16))
    appeal = assign(cast, appeal)
    with pytest.raises(PermissionDenied):
        services.appeal_move(
            actor=cast["users"]["reception_operator"], appeal=appeal, version=appeal.version,
            action="answer", outcome="explained", answer="x",
        )  # fmt: skip
    appeal = services.appeal_move(
        actor=cast["users"]["district_secretary"], appeal=appeal, version=appeal.version,
        action="answer", outcome="explained", answer="Түсіндірілді.",
    )  # fmt: skip
    assert appeal.answered_by == cast["users"]["district_secretary"]


def test_only_the_controller_or_a_higher_branch_reassigns_an_appeal_in_work(cast):
    appeal, _s = receive(cast, received_at=at(2026, 11, 16))
    appeal = assign(cast, appeal, executor="reception_operator", controller="district_secretary")
    with pytest.raises(PermissionDenied):
        assign(cast, appeal, executor="reception_operator", controller="district_secretary")
    appeal = services.appeal_move(
        actor=cast["users"]["regional_secretary"], appeal=appeal, version=appeal.version,
        action="assign", executor=cast["users"]["district_secretary"],
        controller=cast["users"]["regional_secretary"],
    )  # fmt: skip
    assert appeal.controller == cast["users"]["regional_secretary"]


def test_an_overdue_appeal_cannot_be_extended(cast):
    appeal, _s = receive(cast, received_at=at(2026, 9, 1))
    appeal = assign(cast, appeal)
    with pytest.raises(ValidationError, match="already passed"):
        services.appeal_move(
            actor=cast["users"]["reception_operator"], appeal=appeal, version=appeal.version,
            action="extend", due_on=date(2026, 10, 30), reason="Late",
        )  # fmt: skip


# Reopened on Saturday 12 December 2026: the terms run from Monday 14 December, past
# Independence Day (16 December) and the New Year days (1, 4 and 7 January 2027).
@time_machine.travel(at(2026, 12, 12, hour=10), tick=False)
def test_a_reopened_appeal_gets_new_terms_from_today(cast):
    appeal, _s = receive(cast, citizen_name="", contact="", received_at=at(2026, 9, 1))
    appeal = services.appeal_move(
        actor=cast["users"]["reception_operator"], appeal=appeal, version=appeal.version,
        action="reopen", note="The citizen gave a name",
    )  # fmt: skip
    assert appeal.counted_from == date(2026, 12, 14)
    assert appeal.forward_due_on == date(2026, 12, 18)
    assert appeal.due_on == date(2027, 1, 8)
    assert appeal.answer == "" and appeal.outcome == ""


def test_a_recorded_reception_cannot_be_recorded_again(cast):
    from django.utils import timezone

    from tamyr.appeals import receptions
    from tamyr.appeals.models import ReceptionFormat

    admin = cast["users"]["national_admin"]
    official = receptions.official_create(
        actor=admin, full_name="Deputy", position="Deputy", kind="deputy", node=cast["nodes"]["D1"]
    )
    reception = receptions.reception_schedule(
        actor=admin, official=official, node=cast["nodes"]["D1"],
        format=ReceptionFormat.objects.get(code="regular"),
        starts_at=timezone.now() - timedelta(hours=2), place="Office",
    )  # fmt: skip
    reception = receptions.reception_record(
        actor=admin, reception=reception, version=1, status="held", visitors=9
    )
    with pytest.raises(ValidationError, match="already recorded"):
        receptions.reception_record(
            actor=admin, reception=reception, version=reception.version, status="cancelled",
            visitors=0,
        )  # fmt: skip


def test_names_and_contacts_are_length_checked(cast):
    with pytest.raises(ValidationError) as error:
        receive(cast, citizen_name="Ә" * 301, contact="7" * 201)
    assert set(error.value.message_dict) == {"citizen_name", "contact"}


def test_the_rate_limit_counts_the_address_the_trusted_proxy_saw(settings, rf):
    from tamyr.appeals.tracking import client_address

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.1.2.3", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "10.0.0.1"
    settings.TAMYR_PROXIES = 1
    assert client_address(request) == "10.1.2.3"


def test_error_reports_hide_the_tracking_code(rf):
    from tamyr.core.reporting import TamyrReporterFilter

    request = rf.get("/", HTTP_X_TRACKING_CODE="ABCDE-FGHJK")
    meta = TamyrReporterFilter().get_safe_request_meta(request)
    assert meta["HTTP_X_TRACKING_CODE"] != "ABCDE-FGHJK"


# Four days after receipt: the term (to 7 December) still runs, so it can be extended.
@time_machine.travel(at(2026, 11, 20, hour=10), tick=False)
def test_a_late_notice_of_extension_is_reminded(cast, settings):
    appeal, _s = receive(cast, received_at=at(2026, 11, 16))
    appeal = assign(cast, appeal)
    appeal = services.appeal_move(
        actor=cast["users"]["reception_operator"], appeal=appeal, version=appeal.version,
        action="extend", due_on=date(2027, 1, 10), reason="Waiting for the akimat",
    )  # fmt: skip
    Appeal.objects.filter(pk=appeal.pk).update(notice_due_on=date(2026, 11, 1))
    mail.outbox.clear()
    send_term_reminders()
    bodies = "\n".join(m.body for m in mail.outbox)
    assert "has not been told of the extension" in bodies
