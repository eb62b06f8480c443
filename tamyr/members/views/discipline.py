from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tamyr.core.errors import ConflictError
from tamyr.core.forms import add_service_errors
from tamyr.core.views import form_page, paginate
from tamyr.members import discipline
from tamyr.members.forms import (
    CaseAppealDecisionForm,
    CaseAppealForm,
    CaseDecisionForm,
    CaseFilterForm,
    CaseOpenForm,
    PeriodForm,
)
from tamyr.members.models import CaseStatus
from tamyr.members.selectors import discipline_counts, figures_period, person_name_order
from tamyr.orgs import access


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.DISCIPLINE, access.VIEW)
    form = CaseFilterForm(request.GET or None)
    # Newest first; cases opened on one day by the member's name.
    cases = (
        access.scoped_cases(request.user)
        .select_related("person", "ppo")
        .order_by("-opened_on", *person_name_order("person__"), "-id")
    )
    if form.is_valid() and form.cleaned_data["status"]:
        cases = cases.filter(status=form.cleaned_data["status"])
    return render(request, "members/cases.html", {"form": form, "page": paginate(request, cases)})


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest, pk: int) -> HttpResponse:
    person = access.get_person(request.user, pk)
    if not access.node_allows(request.user, access.DISCIPLINE, access.CREATE, person.ppo_id):
        raise PermissionDenied(_("Your role does not allow this."))
    form = CaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = discipline.case_open(actor=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case has been opened."))
            return redirect("members:case", pk=case.pk)
    return form_page(
        request,
        "core/form_page.html",
        form=form,
        title=_("Open a discipline case"),
        back_url=reverse("members:detail", args=[person.pk]),
        back_label=person.full_name,
    )


STAGE_FORMS = {
    CaseStatus.OPEN: CaseDecisionForm,
    CaseStatus.DECIDED: CaseAppealForm,
    CaseStatus.APPEALED: CaseAppealDecisionForm,
}


@login_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access.get_case(request.user, pk)
    may_act = access.scoped_cases(request.user, access.UPDATE).filter(pk=pk).exists()
    form_class = STAGE_FORMS.get(CaseStatus(case.status)) if may_act else None
    form = (
        form_class(request.POST or None, initial={"version": case.version}) if form_class else None
    )
    status = 200
    if request.method == "POST":
        access.get_case(request.user, pk, access.UPDATE)
        data = form.cleaned_data if form is not None and form.is_valid() else None
        try:
            if request.POST.get("close") and case.status == CaseStatus.DECIDED:
                discipline.case_close(
                    actor=request.user, case=case, version=int(request.POST.get("version") or 0)
                )
                return redirect("members:case", pk=pk)
            if data is not None:
                _advance(request.user, case, data)
                messages.success(request, _("The decision has been recorded."))
                return redirect("members:case", pk=pk)
        except ConflictError as exc:
            form.add_error(None, str(exc))
            status = 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        except ValueError:
            status = 400
    return render(request, "members/case.html", {"case": case, "form": form}, status=status)


def _advance(actor, case, data) -> None:
    version = data["version"]
    if case.status == CaseStatus.OPEN:
        discipline.case_decide(
            actor=actor,
            case=case,
            version=version,
            decided_on=data["decided_on"],
            outcome=data["outcome"],
            penalty=data["penalty"],
            protocol_number=data["protocol_number"],
            hearing_on=data["hearing_on"],
        )
    elif case.status == CaseStatus.DECIDED:
        discipline.case_appeal(
            actor=actor, case=case, version=version, filed_on=data["appeal_filed_on"]
        )
    elif case.status == CaseStatus.APPEALED:
        discipline.case_appeal_decide(
            actor=actor,
            case=case,
            version=version,
            decided_on=data["appeal_decided_on"],
            outcome=data["appeal_outcome"],
            new_penalty=data["new_penalty"],
        )


@login_required
def case_figures(request: HttpRequest) -> HttpResponse:
    """Party responsibility in figures, for a node and a period."""
    access.require(request.user, access.DISCIPLINE, access.VIEW)
    form = PeriodForm(request.GET or None)
    node, start, end = figures_period(request.user, form)
    figures = discipline_counts(user=request.user, node=node, start=start, end=end)
    return render(
        request,
        "members/case_figures.html",
        {"form": form, "node": node, "start": start, "end": end, "figures": figures},
    )
