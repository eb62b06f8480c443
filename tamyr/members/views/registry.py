from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tamyr.core.audit import audit_export
from tamyr.core.errors import ConflictError
from tamyr.core.exports import csv_response, xlsx_response
from tamyr.core.forms import add_service_errors
from tamyr.core.views import form_page, history_page, paginate
from tamyr.members import lifecycle, selectors, services
from tamyr.members.forms import CardForm, MemberFilterForm, MemberForm, StepForm, TransferForm
from tamyr.members.lifecycle import allowed_steps
from tamyr.members.services import MEMBERSHIP_FIELDS, PERSON_FIELDS
from tamyr.orgs import access


def _filters(request: HttpRequest, action: str):
    form = MemberFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    node = None
    if data.get("node"):
        node = access.get_node(request.user, data["node"])
    people = selectors.member_list(
        user=request.user,
        query=data.get("q", ""),
        node=node,
        status=data.get("status", ""),
        gender=data.get("gender", ""),
        sector=data.get("sector", ""),
        action=action,
    )
    return form, node, people, data


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.MEMBER, access.VIEW)
    form, node, people, _data = _filters(request, access.VIEW)
    page = paginate(request, people)
    context = {
        "form": form,
        "node": node,
        "page": page,
        "may_add": access.may(request.user, access.MEMBER, access.CREATE),
        "may_export": access.may(request.user, access.MEMBER, access.EXPORT),
    }
    template = "members/_rows.html" if request.headers.get("HX-Request") else "members/list.html"
    return render(request, template, context)


def _export(request: HttpRequest, fmt: str) -> HttpResponse:
    access.require(request.user, access.MEMBER, access.EXPORT)
    _form, node, people, data = _filters(request, access.EXPORT)
    rows = people.count()
    audit_export(
        actor=request.user,
        object_type="members.person",
        node_path=node.path if node else "",
        filters={**{k: v for k, v in data.items() if v}, "format": fmt},
        rows=rows,
    )
    header = [
        _("Surname"),
        _("Name"),
        _("Patronymic"),
        _("IIN"),
        _("Gender"),
        _("Birth date"),
        _("Phone"),
        _("Primary organisation"),
        _("PPO code"),
        _("Status"),
        _("Occupation sector"),
        _("Education"),
    ]

    def body():
        for p in people.iterator(chunk_size=2000):
            yield [
                p.surname,
                p.given_name,
                p.patronymic,
                p.iin,
                p.get_gender_display(),
                p.birth_date.strftime("%d.%m.%Y"),
                p.phone,
                p.ppo.name if p.ppo else "",
                p.ppo.code if p.ppo else "",
                p.get_status_display(),
                p.get_sector_display(),
                p.get_education_display(),
            ]

    if fmt == "xlsx":
        return xlsx_response("members.xlsx", header, body())
    return csv_response("members.csv", header, body())


@login_required
def member_export(request: HttpRequest) -> HttpResponse:
    return _export(request, "csv")


@login_required
def member_export_xlsx(request: HttpRequest) -> HttpResponse:
    return _export(request, "xlsx")


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    person = access.get_person(user, pk)
    may_update = access.scoped_people(user, access.UPDATE).filter(pk=pk).exists()
    return render(
        request,
        "members/detail.html",
        {
            "person": person,
            "memberships": selectors.member_memberships(person=person),
            "cards": person.cards.all(),
            "events": selectors.member_timeline(person=person),
            "cases": access.scoped_cases(user).filter(person=person)
            if access.may(user, access.DISCIPLINE, access.VIEW)
            else None,
            "awards": access.scoped_conferrals(user).filter(person=person).select_related("award")
            if access.may(user, access.AWARD, access.VIEW)
            else None,
            "steps": allowed_steps(person) if may_update else [],
            "may_edit": may_update,
            "may_delete": access.scoped_people(user, access.DELETE).filter(pk=pk).exists(),
            "may_history": access.may(user, access.AUDIT, access.VIEW),
            "may_open_case": access.may(user, access.DISCIPLINE, access.CREATE)
            and person.status in ("active", "suspended"),
        },
    )


def _split(data: dict) -> tuple[dict, dict]:
    return (
        {k: data[k] for k in PERSON_FIELDS if k in data},
        {k: data[k] for k in MEMBERSHIP_FIELDS if k in data},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.MEMBER, access.CREATE)
    initial = {"ppo": request.GET.get("ppo")}
    form = MemberForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        person_data, membership_data = _split(form.cleaned_data)
        try:
            person = services.member_register(
                actor=request.user,
                ppo=form.cleaned_data["ppo"],
                person_data=person_data,
                membership_data=membership_data,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The member has been registered."))
            return redirect("members:detail", pk=person.pk)
    return render(request, "members/form.html", {"form": form, "person": None})


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person(request.user, pk, access.UPDATE)
    initial = {f: getattr(person, f) for f in PERSON_FIELDS}
    initial["version"] = person.version
    form = MemberForm(request.POST or None, user=request.user, editing=True, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        person_data, _membership_data = _split(form.cleaned_data)
        try:
            services.member_update(
                actor=request.user,
                person=person,
                person_data=person_data,
                version=form.cleaned_data.get("version") or 0,
            )
        except ConflictError as exc:
            form.add_error(None, str(exc))
            status = 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("members:detail", pk=person.pk)
    return render(request, "members/form.html", {"form": form, "person": person}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person(request.user, pk, access.DELETE)
    error = None
    if request.method == "POST":
        try:
            services.member_delete(actor=request.user, person=person)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The record has been deleted."))
            return redirect("members:list")
    return render(
        request,
        "members/delete.html",
        {"person": person, "error": error},
        status=400 if error else 200,
    )


@login_required
def member_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person(request.user, pk)
    return history_page(
        request,
        record=person,
        related=person.memberships.all(),
        back_url=reverse("members:detail", args=[person.pk]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Take one lifecycle step for a member: transfer, card, suspend, resume, leave, death."""
    person = access.get_person(request.user, pk, access.UPDATE)
    if step not in lifecycle.STEPS:
        raise Http404
    back = reverse("members:detail", args=[person.pk])
    if step not in lifecycle.allowed_steps(person):
        return form_page(
            request,
            "members/step.html",
            form=None,
            title=STEP_TITLES[step](),
            back_url=back,
            back_label=person.full_name,
            person=person,
            error=_("This step is not possible for the member's current status."),
            status=400,
        )
    membership = services.current_membership(person)
    if step == "transfer":
        form = TransferForm(request.POST or None, user=request.user, current_ppo=membership.ppo)
    elif step == "card":
        form = CardForm(request.POST or None)
    else:
        form = StepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if step == "transfer":
                lifecycle.member_transfer(
                    actor=request.user,
                    person=person,
                    to_ppo=data["to_ppo"],
                    on=data["on"],
                    reason=data["reason"],
                )
            elif step == "card":
                lifecycle.card_issue(
                    actor=request.user,
                    person=person,
                    number=data["number"],
                    issued_on=data["issued_on"],
                    issued_by=data["issued_by"],
                )
            else:
                lifecycle.membership_change(
                    actor=request.user,
                    person=person,
                    action=step,
                    on=data["on"],
                    reason=data["reason"],
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The step has been recorded."))
            # After a transfer out of the user's subtree the member is no longer theirs.
            if access.scoped_people(request.user).filter(pk=person.pk).exists():
                return redirect("members:detail", pk=person.pk)
            return redirect("members:list")
    return form_page(
        request,
        "members/step.html",
        form=form,
        title=STEP_TITLES[step](),
        back_url=back,
        back_label=person.full_name,
        person=person,
    )


STEP_TITLES = {
    "transfer": lambda: _("Transfer to another PPO"),
    "card": lambda: _("Issue a membership card"),
    "suspend": lambda: _("Suspend membership"),
    "resume": lambda: _("Resume membership"),
    "leave": lambda: _("Record leaving the party"),
    "death": lambda: _("Record a death"),
}
