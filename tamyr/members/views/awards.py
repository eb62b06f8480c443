from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Collate
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tamyr.core.collation import by_name
from tamyr.core.forms import add_service_errors
from tamyr.core.views import form_page, paginate
from tamyr.members import awards
from tamyr.members.forms import CeremonyForm, ConferralForm
from tamyr.orgs import access


def _by_recipient() -> list[Collate]:
    """Return the order of awards by recipient, members and citizens together, in the
    reader's alphabet: a member by surname, name and patronymic, a citizen by full name."""
    return [
        by_name(Coalesce(F("person__surname"), F("citizen_name"))),
        by_name(Coalesce(F("person__given_name"), Value(""))),
        by_name(Coalesce(F("person__patronymic"), Value(""))),
    ]


@login_required
def conferral_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.AWARD, access.VIEW)
    # Newest first; one day's awards by the name of who received them.
    conferrals = (
        access.scoped_conferrals(request.user)
        .select_related("award", "person", "node", "ceremony")
        .order_by("-conferred_on", *_by_recipient(), "-id")
    )
    return render(
        request,
        "members/awards.html",
        {
            "page": paginate(request, conferrals),
            "may_add": access.may(request.user, access.AWARD, access.CREATE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def conferral_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.AWARD, access.CREATE)
    form = ConferralForm(
        request.POST or None,
        user=request.user,
        initial={"ceremony": request.GET.get("ceremony"), "node": request.GET.get("node")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            conferral = awards.conferral_create(actor=request.user, node=data["node"], data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The award has been recorded."))
            if conferral.ceremony_id:
                return redirect("members:ceremony", pk=conferral.ceremony_id)
            return redirect("members:awards")
    return form_page(
        request,
        "core/form_page.html",
        form=form,
        title=_("Record an award"),
        back_url=reverse("members:awards"),
        back_label=_("Awards"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def conferral_delete(request: HttpRequest, pk: int) -> HttpResponse:
    conferral = access.get_conferral(request.user, pk, access.DELETE)
    if request.method == "POST":
        awards.conferral_delete(actor=request.user, conferral=conferral)
        messages.success(request, _("The record has been deleted."))
        return redirect("members:awards")
    return render(request, "members/conferral_delete.html", {"conferral": conferral})


@login_required
def ceremony_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.AWARD, access.VIEW)
    ceremonies = access.scoped_ceremonies(request.user).select_related("node")
    return render(
        request,
        "members/ceremonies.html",
        {
            "page": paginate(request, ceremonies),
            "may_add": access.may(request.user, access.AWARD, access.CREATE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def ceremony_new(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.AWARD, access.CREATE)
    form = CeremonyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ceremony = awards.ceremony_create(actor=request.user, node=data["node"], data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The ceremony has been recorded."))
            return redirect("members:ceremony", pk=ceremony.pk)
    return form_page(
        request,
        "core/form_page.html",
        form=form,
        title=_("New ceremony"),
        back_url=reverse("members:ceremonies"),
        back_label=_("Ceremonies"),
    )


@login_required
def ceremony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The ceremony's list of awards, laid out to be printed and read out."""
    ceremony = access.get_ceremony(request.user, pk)
    conferrals = ceremony.conferrals.select_related("award", "person").order_by(
        "award__kind", "award__code", *_by_recipient(), "pk"
    )
    return render(
        request,
        "members/ceremony.html",
        {
            "ceremony": ceremony,
            "conferrals": conferrals,
            "may_add": access.scoped_ceremonies(request.user, access.CREATE).filter(pk=pk).exists(),
        },
    )
