from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tamyr.core.forms import add_service_errors
from tamyr.core.views import form_page, paginate
from tamyr.members import lifecycle
from tamyr.members.forms import ApplicationForm, DecisionForm
from tamyr.members.models import ApplicationStatus, Person
from tamyr.members.selectors import person_name_order
from tamyr.members.services import PERSON_FIELDS
from tamyr.orgs import access


@login_required
def application_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.MEMBER, access.VIEW)
    status = request.GET.get("status", ApplicationStatus.PENDING)
    applications = access.scoped_applications(request.user).select_related("person", "ppo")
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return render(
        request,
        "members/applications.html",
        {
            "page": paginate(
                request,
                # Newest first; one day's applications by name.
                applications.order_by("-applied_on", *person_name_order("person__"), "-id"),
            ),
            "status": status,
            "statuses": ApplicationStatus.choices,
            "may_add": access.may(request.user, access.MEMBER, access.CREATE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_new(request: HttpRequest) -> HttpResponse:
    """Take an application: from a new person, or a former member of the user's subtree."""
    access.require(request.user, access.MEMBER, access.CREATE)
    form = ApplicationForm(
        request.POST or None, user=request.user, initial={"ppo": request.GET.get("ppo")}
    )
    if request.method == "POST":
        # A former member known in the user's subtree applies again: readmission, same record.
        iin = (request.POST.get("iin") or "").strip()
        former = (
            access.scoped_people(request.user, access.CREATE).filter(iin=iin).first()
            if iin
            else None
        )
        if former is not None and "iin" in form.fields:
            for name in PERSON_FIELDS:
                form.fields[name].required = False
        if form.is_valid():
            data = form.cleaned_data
            try:
                application = lifecycle.application_submit(
                    actor=request.user,
                    ppo=data["ppo"],
                    applied_on=data["applied_on"],
                    person=former,
                    person_data=None if former else {k: data[k] for k in PERSON_FIELDS},
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The application has been recorded."))
                return redirect("members:application", pk=application.pk)
    return form_page(
        request,
        "members/application_form.html",
        form=form,
        title=_("New application"),
        back_url=reverse("members:applications"),
        back_label=_("Applications"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = access.get_application(request.user, pk)
    may_decide = (
        application.status == ApplicationStatus.PENDING
        and access.scoped_applications(request.user, access.CREATE).filter(pk=pk).exists()
    )
    form = DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        if not may_decide:
            access.get_application(request.user, pk, access.CREATE)
            return render(
                request,
                "members/application.html",
                {"application": application, "form": None},
                status=400,
            )
        if form.is_valid():
            data = form.cleaned_data
            common = {
                "actor": request.user,
                "application": application,
                "decided_on": data["decided_on"],
                "decision_body": data["decision_body"],
                "protocol_number": data["protocol_number"],
            }
            try:
                if request.POST.get("decision") == "admit":
                    lifecycle.application_admit(**common)
                    messages.success(request, _("The applicant has been admitted."))
                else:
                    lifecycle.application_reject(**common, reason=data["reason"])
                    messages.success(request, _("The application has been refused."))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("members:application", pk=application.pk)
    return render(
        request,
        "members/application.html",
        {
            "application": application,
            "form": form,
            "person": Person.objects.get(pk=application.person_id),
        },
    )
