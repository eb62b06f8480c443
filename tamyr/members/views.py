from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tamyr.core.audit import audit_export
from tamyr.core.errors import ConflictError
from tamyr.core.exports import csv_response
from tamyr.core.forms import add_service_errors
from tamyr.core.views import history_page, paginate
from tamyr.members import selectors, services
from tamyr.members.forms import MemberFilterForm, MemberForm
from tamyr.members.services import MEMBERSHIP_FIELDS, PERSON_FIELDS, current_membership
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


@login_required
def member_export(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.MEMBER, access.EXPORT)
    _form, node, people, data = _filters(request, access.EXPORT)
    rows = people.count()
    audit_export(
        actor=request.user,
        object_type="members.person",
        node_path=node.path if node else "",
        filters={k: v for k, v in data.items() if v},
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
                p.get_status_display(),
                p.get_sector_display(),
                p.get_education_display(),
            ]

    return csv_response("members.csv", header, body())


@login_required
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person(request.user, pk)
    return render(
        request,
        "members/detail.html",
        {
            "person": person,
            "memberships": selectors.member_memberships(person=person),
            "may_edit": access.scoped_people(request.user, access.UPDATE).filter(pk=pk).exists(),
            "may_delete": access.scoped_people(request.user, access.DELETE).filter(pk=pk).exists(),
            "may_history": access.may(request.user, access.AUDIT, access.VIEW),
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
    membership = current_membership(person)
    initial = {f: getattr(person, f) for f in PERSON_FIELDS}
    if membership:
        initial |= {f: getattr(membership, f) for f in ("card_number", "card_issued_on")}
    initial["version"] = person.version
    form = MemberForm(request.POST or None, user=request.user, editing=True, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        person_data, membership_data = _split(form.cleaned_data)
        try:
            services.member_update(
                actor=request.user,
                person=person,
                person_data=person_data,
                membership_data=membership_data,
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
    if request.method == "POST":
        services.member_delete(actor=request.user, person=person)
        messages.success(request, _("The record has been deleted."))
        return redirect("members:list")
    return render(request, "members/delete.html", {"person": person})


@login_required
def member_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person(request.user, pk)
    return history_page(
        request,
        record=person,
        related=person.memberships.all(),
        back_url=reverse("members:detail", args=[person.pk]),
    )
