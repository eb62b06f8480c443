import functools
import html

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_http_methods

from tamyr.appeals import coupons, sending, services
from tamyr.appeals.forms import (
    ACTION_FORMS,
    AppealFilterForm,
    AssignForm,
    OperatorAppealForm,
    PublicAppealForm,
    TrackForm,
)
from tamyr.appeals.models import Appeal, AppealStatus, AppealType, Channel
from tamyr.appeals.selectors import (
    BELOW,
    LIST_SORTS,
    MINE,
    OWN_BRANCH,
    appeal_flags,
    appeal_worklist,
    due_soon_limit,
    term_flag,
)
from tamyr.appeals.tracking import (
    appeal_track,
    client_address,
    submission_allowed,
    tracking_blocked,
)
from tamyr.core.dates import date_formatter
from tamyr.core.errors import ConflictError
from tamyr.core.forms import add_service_errors
from tamyr.core.templatetags.tamyr import staff_name_of
from tamyr.core.views import history_page, paginate
from tamyr.orgs import access

# -- citizens ----------------------------------------------------------------------------------


@never_cache
@sensitive_variables("sent")
@sensitive_post_parameters("submission")
@require_http_methods(["GET", "POST"])
def appeal_submit(request: HttpRequest) -> HttpResponse:
    """The public form: no account needed. A registered appeal redirects to its coupon page; the
    same form sent again (a reload, a second click) registers nothing and shows that coupon."""
    form = PublicAppealForm(request.POST or None, request.FILES or None)
    if request.method == "GET":
        # A new visitor (perhaps the next person at a shared computer) sees no earlier coupon.
        context = {"form": form, "submission": coupons.form_issue(request.session)}
        return render(request, "appeals/submit.html", context)

    def receive(data, token):
        return services.appeal_receive(
            actor=None,
            channel=Channel.PORTAL,
            topic=data["topic"],
            node=data["node"],
            citizen_name=data["citizen_name"],
            contact=data["contact"],
            locality=data["locality"],
            text=data["text"],
            files=data["files"],
            submission=token,
        )

    sent = sending.form_send(
        request,
        form,
        coupons.PUBLIC,
        receive,
        allowed=lambda: submission_allowed(client_address(request)),
    )
    if sent.coupon is not None:
        return redirect("public:coupon")
    if sent.number:
        # Sent before, and its coupon closed since: say so rather than register it again.
        messages.warning(
            request,
            _(
                "This form was sent already: its appeal is registered under number "
                "%(number)s. Follow it with that number and its tracking code."
            )
            % {"number": sent.number},
        )
        return redirect("public:submit")
    context = {"form": form, "submission": sent.token}
    return render(request, "appeals/submit.html", context, status=sent.status)


@never_cache
@sensitive_variables("coupon", "context")
@require_http_methods(["GET", "POST"])
def appeal_coupon_page(request: HttpRequest) -> HttpResponse:
    """Show the coupon of the appeal this browser sent last, for a quarter of an hour or until
    the citizen says they have written the code down (a POST, which closes it and any earlier
    one still kept: the next person at the computer must find none)."""
    if request.method == "POST":
        coupons.coupons_close(request.session, coupons.PUBLIC)
        return redirect("public:submit")
    coupon = coupons.coupon_latest(request.session, coupons.PUBLIC)
    appeal = Appeal.objects.filter(pk=coupon.pk).first() if coupon else None
    # The hash check also refuses a code that no longer unmasks (a new SECRET_KEY).
    if appeal is None or services.secret_hash(appeal.number, coupon.secret) != appeal.secret_hash:
        return redirect("public:submit")
    context = {"appeal": appeal, "secret": coupon.secret, "kept_until": coupon.until}
    return render(request, "appeals/coupon.html", context)


@never_cache
@sensitive_post_parameters("secret")
@require_http_methods(["GET", "POST"])
def appeal_track_page(request: HttpRequest) -> HttpResponse:
    """Ask for the number and the code; the right pair redirects to the result page."""
    form = TrackForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        number, address = form.cleaned_data["number"].strip(), client_address(request)
        if tracking_blocked(number, address):
            form.add_error(None, _("Too many wrong attempts. Try again in 15 minutes."))
            return render(request, "appeals/track.html", context, status=429)
        appeal = appeal_track(number=number, secret=form.cleaned_data["secret"], address=address)
        if appeal is not None:
            coupons.tracked_keep(request.session, appeal.pk)
            sending.public_session(request)
            return redirect("public:tracked")
        form.add_error(None, _("The number or the tracking code is wrong."))
    return render(request, "appeals/track.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def appeal_tracked_page(request: HttpRequest) -> HttpResponse:
    """Show the appeal this browser followed last, for five minutes: its status, dates, outcome
    and answer, nothing else. A POST closes it."""
    if request.method == "POST":
        coupons.tracked_forget(request.session)
        return redirect("public:track")
    pk = coupons.tracked_pk(request.session)
    appeal = Appeal.objects.filter(pk=pk).select_related("topic").first() if pk else None
    if appeal is None:
        return redirect("public:track")
    context = {"appeal": appeal, "kept_until": coupons.tracked_until(request.session)}
    return render(request, "appeals/tracked.html", context)


# -- staff -------------------------------------------------------------------------------------


# The list's rows are written here rather than in the template: Django's template language
# spent 100 microseconds a row on them, more than the query for the whole page. Every value is
# escaped on its way in (the standard library's escape: Django's checks every argument for
# lazy strings first, which doubled the rows' cost).
LIST_ROW = (
    '<tr class="{flag}"><td data-label="{l_number}"><a href="{url}">{number}</a></td>'
    '<td data-label="{l_received}">{received}</td><td data-label="{l_topic}">{topic}</td>'
    '<td data-label="{l_node}">{node}</td><td data-label="{l_executor}">{executor}</td>'
    '<td data-label="{l_status}">{status}</td><td data-label="{l_due}">{due}{flag_label}</td></tr>'
)
FLAG_LABEL = ' <span class="flag {}" data-testid="flag">{}</span>'
# Each part of the user's own work opens with its title, repeated atop a page that continues it.
PART_HEAD = '<tbody><tr class="part"><th colspan="7" scope="rowgroup">{}</th></tr>'
# The columns in the order shown: each heading's label and the sort key its link asks for.
LIST_COLUMNS = (
    ("l_number", "number"),
    ("l_received", "received"),
    ("l_topic", "topic"),
    ("l_node", "branch"),
    ("l_executor", "executor"),
    ("l_status", "status"),
    ("l_due", "due"),
)


def list_labels() -> dict[str, str]:
    """The list's column headings, also each cell's label on a narrow screen."""
    return {
        "l_number": _("Number"),
        "l_received": _("Received at"),
        "l_topic": _("Topic"),
        "l_node": _("Responsible branch"),
        "l_executor": _("Executor"),
        "l_status": _("Status"),
        "l_due": _("Answer due on"),
    }


def list_part_titles() -> dict[int, str]:
    """The titles of the parts of a user's own work, in the list's default order."""
    return {
        MINE: _("Assigned to you"),
        OWN_BRANCH: _("Under the control of your branch"),
        BELOW: _("Under the control of the branches below yours"),
    }


def filter_options(form, name: str) -> list[tuple[str, str, bool]]:
    """Return a filter's choices as (value, text, chosen) for a plain select."""
    chosen = form.data.get(name, "")
    return [(str(value), text, str(value) == chosen) for value, text in form.fields[name].choices]


def list_headings(request: HttpRequest, labels: dict[str, str], sort: str) -> list[tuple]:
    """Return each column's heading as (label, address, aria-sort): the address sorts by the
    column, ascending, or descending when that is already the order; the filters stay, the
    page goes back to the first."""
    query = request.GET.copy()
    query.pop("page", None)
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    headings = []
    for label, column in LIST_COLUMNS:
        current = column == key
        query["sort"] = f"-{column}" if current and not descending else column
        aria = ("descending" if descending else "ascending") if current else ""
        headings.append((labels[label], f"?{query.urlencode()}", aria))
    return headings


def list_rows_html(rows, labels: dict[str, str], parts: dict[int, str] | None = None) -> SafeString:
    """Return the table bodies of one page of the operator's list, from its plain rows; a row
    of a part of the user's own work (see selectors.AppealPages) opens its part's body with
    its title."""
    today = timezone.localdate()
    soon = functools.cache(lambda: due_soon_limit(today))
    statuses = {value: html.escape(str(text)) for value, text in AppealStatus.choices}
    flags = {
        "": "",
        "overdue": format_html(FLAG_LABEL, "overdue", _("overdue")),
        "due_soon": format_html(FLAG_LABEL, "due-soon", _("due soon")),
    }
    fixed = {name: html.escape(text) for name, text in labels.items()}
    titles = {part: PART_HEAD.format(html.escape(title)) for part, title in (parts or {}).items()}
    short_date = date_formatter()
    # Every detail address is this prefix and the id: one reverse() instead of one a row.
    detail = reverse("appeals:detail", args=[0]).removesuffix("0/")
    out = []
    part: int | None = None
    for a in rows:
        if a.get("part", part) != part or not out:
            part = a.get("part")
            out.append(("</tbody>" if out else "") + titles.get(part, "<tbody>"))
        flag = term_flag(a["status"], a["due_on"], today, soon)
        executor = staff_name_of(
            a["executor__first_name"], a["executor__last_name"], a["executor__username"]
        )
        out.append(
            LIST_ROW.format(
                flag=flag,
                url=f"{detail}{a['id']}/",
                number=html.escape(a["number"]),
                received=short_date(timezone.localtime(a["received_at"])),
                topic=html.escape(a["topic_name"]),
                node=html.escape(a["node_name"]),
                executor=html.escape(executor),
                status=statuses.get(a["status"]) or html.escape(a["status"]),
                due=short_date(a["due_on"]),
                flag_label=flags[flag],
                **fixed,
            )
        )
    if out:
        out.append("</tbody>")
    return mark_safe("\n".join(out))  # noqa: S308 - every value above was escaped


@login_required
def appeal_list_page(request: HttpRequest) -> HttpResponse:
    """The operator's list: the busiest page there is. It opens on the user's open work, their
    own first, nearest term first; a column heading sorts by that column instead."""
    access.require(request.user, access.APPEAL, access.VIEW)
    executors = access.appeal_staff_menu(request.user)
    form = AppealFilterForm(request.GET or None, executors=executors)
    filters: dict = {}
    if form.is_bound:
        # Cleaning keeps the filters that hold: one that does not (an executor no longer in
        # the menu) is dropped alone, and the form says so.
        form.is_valid()
        filters = form.cleaned_data
    sort = request.GET.get("sort", "")
    if sort.removeprefix("-") not in LIST_SORTS:
        sort = ""  # an unknown key is ignored, never passed on
    appeals = appeal_worklist(
        user=request.user,
        sort=sort,
        status=filters.get("status") or "open",
        term=filters.get("term", ""),
        executor=filters.get("executor"),
        query=filters.get("q", ""),
    )
    page = paginate(request, appeals)
    labels = list_labels()
    default_order = request.GET.copy()
    for name in ("sort", "page"):
        default_order.pop(name, None)
    context = {
        "form": form,
        "selects": [
            (name, form.fields[name].label, filter_options(form, name))
            for name in ("status", "term", "executor")
        ],
        "page": page,
        "sort": sort,
        "headings": list_headings(request, labels, sort),
        "default_order": f"?{default_order.urlencode()}",
        "rows": list_rows_html(page.object_list, labels, None if sort else list_part_titles()),
        "may_add": access.may(request.user, access.APPEAL, access.CREATE),
    }
    return render(request, "appeals/list.html", context)


@never_cache
@login_required
@sensitive_variables("sent")
@sensitive_post_parameters("submission")
@require_http_methods(["GET", "POST"])
def appeal_add(request: HttpRequest) -> HttpResponse:
    """Register an appeal that came in by letter, call, e-mail or at a reception. A registered
    appeal redirects to its coupon page; the same form sent again (a reload, a second click)
    registers nothing and shows that coupon."""
    access.require(request.user, access.APPEAL, access.CREATE)
    nodes = access.scoped_appeal_nodes(request.user, access.CREATE).order_by("path")
    receptions = access.scoped_receptions(request.user).select_related("official")
    form = OperatorAppealForm(
        request.POST or None,
        request.FILES or None,
        nodes=nodes,
        receptions=receptions,
        initial={
            "received_at": timezone.localtime().replace(second=0, microsecond=0),
            # "Register an appeal" on a reception's page brings it here.
            "reception": request.GET.get("reception"),
            "channel": Channel.RECEPTION if request.GET.get("reception") else None,
            "appeal_type": AppealType.objects.filter(code="appeal").first(),
        },
    )
    token, status = coupons.form_issue(request.session, coupons.STAFF), 200
    if request.method == "POST":

        def receive(data, token):
            return services.appeal_receive(
                actor=request.user,
                channel=data["channel"],
                appeal_type=data["appeal_type"],
                topic=data["topic"],
                node=data["node"],
                citizen_name=data["citizen_name"],
                contact=data["contact"],
                locality=data["locality"],
                text=data["text"],
                received_at=data["received_at"],
                reception=data["reception"],
                files=data["files"],
                submission=token,
            )

        sent = sending.form_send(request, form, coupons.STAFF, receive)
        if sent.coupon is not None:
            return redirect("appeals:coupon", pk=sent.coupon.pk)
        if sent.number:
            # Sent before, and its coupon closed since: say so rather than register it again.
            messages.warning(
                request,
                _("This form was sent already: its appeal is registered under number %(number)s.")
                % {"number": sent.number},
            )
            appeal = access.scoped_appeals(request.user).filter(number=sent.number).first()
            if appeal is not None:
                return redirect("appeals:detail", pk=appeal.pk)
            return redirect(request.get_full_path())
        token, status = sent.token, sent.status
    context = {
        "form": form,
        "submission": token,
        "coupons": coupons.coupons_kept(request.session, coupons.STAFF),
    }
    return render(request, "appeals/add.html", context, status=status)


@never_cache
@login_required
@sensitive_variables("coupon", "context")
@require_http_methods(["GET", "POST"])
def appeal_coupon(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an appeal's coupon, with its tracking code, to the operator who registered it, in
    the session that did: for an hour, or until they say the citizen has the code (a POST,
    which forgets it). Anyone else who may see the appeal is sent to its page."""
    appeal = access.get_appeal(request.user, pk)
    coupon = _staff_coupon(request, appeal)
    if request.method == "POST":
        if coupon is not None:
            coupons.coupon_forget(request.session, coupon.number, coupons.STAFF)
        return redirect("appeals:detail", pk=appeal.pk)
    if coupon is None:
        return redirect("appeals:detail", pk=appeal.pk)
    context = {"appeal": appeal, "secret": coupon.secret, "kept_until": coupon.until, "staff": True}
    return render(request, "appeals/coupon.html", context)


def _staff_coupon(request: HttpRequest, appeal: Appeal) -> coupons.Coupon | None:
    """Return the appeal's coupon if this user registered it in this session, and it still
    opens: the hash check also refuses a code that no longer unmasks (a new SECRET_KEY)."""
    if appeal.received_by_id != request.user.pk:
        return None
    coupon = coupons.coupon_of(request.session, appeal.pk, coupons.STAFF)
    if coupon is None or services.secret_hash(appeal.number, coupon.secret) != appeal.secret_hash:
        return None
    return coupon


def _parts(user, appeal: Appeal) -> set[str]:
    """Return the actions this user may take on this appeal now."""
    if not access.node_allows(user, access.APPEAL, access.UPDATE, appeal.node_id):
        return set()
    allowed = set(services.actions_from(appeal.status))
    if user.pk != appeal.controller_id:
        allowed -= {"return", "close", "extend"}
    if user.pk != appeal.executor_id:
        allowed.discard("answer")
    if appeal.status == AppealStatus.IN_WORK and not services.may_reassign(user, appeal):
        allowed.discard("assign")
    if appeal.extended_on is None or appeal.citizen_notified_on:
        allowed.discard("notify")
    return allowed


def _action_form(action: str, user, appeal: Appeal, data=None):
    form_class = ACTION_FORMS[action]
    initial = {"version": appeal.version}
    if form_class is AssignForm:
        nodes = access.scoped_appeal_nodes(user).order_by("path")
        node = appeal.node
        if data is not None:
            chosen = nodes.filter(pk=data.get("node")).first()
            node = chosen or node
        initial.update(
            node=appeal.node_id, executor=appeal.executor_id, controller=appeal.controller_id
        )
        return form_class(data, initial=initial, nodes=nodes, staff=access.staff_for_appeals(node))
    if action == "notify":
        initial["on"] = timezone.localdate()
    return form_class(data, initial=initial)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = access.get_appeal(request.user, pk)
    allowed = _parts(request.user, appeal)
    status = 200
    forms = {action: _action_form(action, request.user, appeal) for action in sorted(allowed)}
    if request.method == "POST":
        access.get_appeal(request.user, pk, access.UPDATE)
        action = request.POST.get("action", "")
        if action not in allowed:
            raise PermissionDenied(_("Your role does not allow this."))
        form = _action_form(action, request.user, appeal, request.POST)
        forms[action] = form
        if form.is_valid():
            data = dict(form.cleaned_data)
            version = data.pop("version")
            try:
                services.appeal_move(
                    actor=request.user, appeal=appeal, version=version, action=action, **data
                )
            except ConflictError as exc:
                form.add_error(None, str(exc))
                status = 409
            except ValidationError as exc:
                add_service_errors(form, exc)
                status = 400
            else:
                messages.success(request, _("Done."))
                return redirect("appeals:detail", pk=pk)
        else:
            status = 400
    duplicate = appeal.possible_duplicate_of
    if (
        duplicate is not None
        and not access.scoped_appeals(request.user).filter(pk=duplicate.pk).exists()
    ):
        duplicate = None  # flagged, but in a part of the tree this reader does not see
    context = {
        "appeal": appeal,
        "duplicate": duplicate,
        "notice_late": appeal.notice_due_on is not None
        and appeal.citizen_notified_on is None
        and appeal.notice_due_on < timezone.localdate(),
        "flag": appeal_flags(appeal),
        "forms": forms,
        "steps": appeal.steps.select_related("actor"),
        "attachments": appeal.attachments.all(),
        # The code itself stays on the coupon page; this page only leads there.
        "coupon_open": _staff_coupon(request, appeal) is not None,
    }
    return render(request, "appeals/detail.html", context, status=status)


@login_required
def appeal_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    appeal = access.get_appeal(request.user, pk)
    attachment = get_object_or_404(appeal.attachments, pk=attachment_pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def appeal_history(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = access.get_appeal(request.user, pk)
    return history_page(
        request, record=appeal, back_url=reverse("appeals:detail", args=[appeal.pk])
    )
