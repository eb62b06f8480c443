from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tamyr.appeals import receptions
from tamyr.appeals.forms import (
    OfficialForm,
    PeriodFilterForm,
    ReceptionForm,
    ReceptionRecordForm,
    StatisticsForm,
)
from tamyr.appeals.models import Channel, Outcome, ReceptionStatus, Topic
from tamyr.appeals.selectors import appeal_statistics, officials_by_receptions
from tamyr.core.collation import by_name
from tamyr.core.errors import ConflictError
from tamyr.core.forms import add_service_errors
from tamyr.core.views import form_page, paginate
from tamyr.orgs import access


def _period(form) -> tuple[date, date]:
    today = timezone.localdate()
    if form.is_bound and form.is_valid():
        return form.cleaned_data["start"], form.cleaned_data["end"]
    return today.replace(month=1, day=1), today


@login_required
def reception_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.RECEPTION, access.VIEW)
    form = PeriodFilterForm(request.GET or None)
    start, end = _period(form)
    items = (
        access.scoped_receptions(request.user)
        .filter(starts_at__date__gte=start, starts_at__date__lte=end + timedelta(days=60))
        .select_related("official", "node", "format")
        .order_by("starts_at", "id")
    )
    context = {
        "form": form,
        "page": paginate(request, items),
        "may_add": access.may(request.user, access.RECEPTION, access.CREATE),
    }
    return render(request, "appeals/receptions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def reception_add(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.RECEPTION, access.CREATE)
    nodes = access.scoped_nodes_for(request.user, access.RECEPTION, access.CREATE)
    officials = (
        access.scoped_officials(request.user)
        .filter(is_active=True)
        .order_by(by_name("full_name"), "id")
    )
    form = ReceptionForm(request.POST or None, nodes=nodes, officials=officials)
    if request.method == "POST" and form.is_valid():
        try:
            reception = receptions.reception_schedule(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The reception is on the schedule."))
            return redirect("appeals:reception", pk=reception.pk)
    return form_page(
        request,
        "core/form_page.html",
        form=form,
        title=_("Schedule a reception"),
        back_url=reverse("appeals:receptions"),
        back_label=_("Receptions of citizens"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reception_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reception = access.get_reception(request.user, pk)
    may_update = access.node_allows(
        request.user, access.RECEPTION, access.UPDATE, reception.node_id
    )
    form = None
    if may_update and reception.status == ReceptionStatus.PLANNED:
        form = ReceptionRecordForm(request.POST or None, initial={"version": reception.version})
    status = 200
    if request.method == "POST":
        access.get_reception(request.user, pk, access.UPDATE)
        if form is None:
            return redirect("appeals:reception", pk=pk)
        if form.is_valid():
            try:
                receptions.reception_record(
                    actor=request.user, reception=reception, **form.cleaned_data
                )
            except ConflictError as exc:
                form.add_error(None, str(exc))
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Done."))
                return redirect("appeals:reception", pk=pk)
        else:
            status = 400
    # Appeals born here are listed only to those who may read appeals at this branch.
    appeals = access.scoped_appeals(request.user).filter(reception=reception)
    context = {
        "reception": reception,
        "form": form,
        "appeals": appeals.select_related("topic"),
        "may_register": access.node_allows(
            request.user, access.APPEAL, access.CREATE, reception.node_id
        ),
    }
    return render(request, "appeals/reception.html", context, status=status)


@login_required
def official_list(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.RECEPTION, access.VIEW)
    officials = access.scoped_officials(request.user).select_related("node")
    context = {
        "page": paginate(request, officials.order_by(by_name("full_name"), "id")),
        "may_add": access.may(request.user, access.RECEPTION, access.CREATE),
    }
    return render(request, "appeals/officials.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def official_add(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.RECEPTION, access.CREATE)
    nodes = access.scoped_nodes_for(request.user, access.RECEPTION, access.CREATE)
    form = OfficialForm(request.POST or None, nodes=nodes)
    if request.method == "POST" and form.is_valid():
        try:
            receptions.official_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Done."))
            return redirect("appeals:officials")
    return form_page(
        request,
        "core/form_page.html",
        form=form,
        title=_("Add an official"),
        back_url=reverse("appeals:officials"),
        back_label=_("Officials"),
    )


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    """Figures for a branch and a window, against the same window of earlier years. They name
    nobody, so whoever may see the branch may see them; officials' names need the schedule."""
    access.require(request.user, access.NODE, access.VIEW)
    nodes = access.scoped_nodes(request.user).exclude(kind="primary").order_by("path")
    today = timezone.localdate()
    top = access.top_nodes(request.user).first()
    defaults = {
        "node": top.pk if top else "",
        "years": 2,
        "start": today.replace(month=1, day=1).isoformat(),
        "end": today.isoformat(),
    }
    form = StatisticsForm(request.GET or defaults, nodes=nodes)
    if not form.is_valid():
        return render(request, "appeals/statistics.html", {"form": form}, status=400)
    node, years = form.cleaned_data["node"], form.cleaned_data["years"]
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    windows = appeal_statistics(node=node, start=start, end=end, years=years)
    topic_ids = {t for w in windows for t in w.by_topic}
    context = {
        "form": form,
        "node": node,
        "windows": windows,
        "topics": Topic.objects.filter(pk__in=topic_ids).order_by("code"),
        "channels": Channel.choices,
        "outcomes": Outcome.choices,
    }
    if access.node_allows(request.user, access.RECEPTION, access.VIEW, node.pk):
        context["officials"] = officials_by_receptions(node=node, start=start, end=end)
    return render(request, "appeals/statistics.html", context)
