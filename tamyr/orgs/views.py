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
from tamyr.orgs import access, selectors, services
from tamyr.orgs.forms import NodeFilterForm, NodeForm, NodeMergeForm, NodeMoveForm
from tamyr.orgs.services import NODE_FIELDS


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.NODE, access.VIEW)
    form = NodeFilterForm(request.GET or None)
    results = None
    if form.is_valid() and (form.cleaned_data["q"] or form.cleaned_data["kind"]):
        results = paginate(
            request,
            selectors.node_list(
                user=request.user, query=form.cleaned_data["q"], kind=form.cleaned_data["kind"]
            ),
        )
    tops = [
        (node, selectors.node_children(user=request.user, node=node))
        for node in access.top_nodes(request.user)
    ]
    return render(
        request,
        "orgs/tree.html",
        {
            "form": form,
            "results": results,
            "tops": tops,
            "may_export": access.may(request.user, access.NODE, access.EXPORT),
        },
    )


@login_required
def node_children(request: HttpRequest, pk: int) -> HttpResponse:
    node = access.get_node(request.user, pk)
    return render(
        request,
        "orgs/_children.html",
        {"children": selectors.node_children(user=request.user, node=node)},
    )


@login_required
def node_detail(request: HttpRequest, pk: int) -> HttpResponse:
    node = access.get_node(request.user, pk)
    user = request.user
    return render(
        request,
        "orgs/detail.html",
        {
            "node": node,
            # Only named when the user may see it: a merge can cross into another branch.
            "merged_into": access.scoped_nodes(user).filter(pk=node.merged_into_id).first()
            if node.merged_into_id
            else None,
            "ancestors": selectors.node_ancestors(user=user, node=node),
            "children": selectors.node_children(user=user, node=node),
            "counts": selectors.node_subtree_counts(user=user, node=node),
            "size_history": node.size_history.all()[:10] if node.is_ppo else [],
            "may_add_child": bool(
                node.is_open
                and access.scoped_nodes(user, access.CREATE).filter(pk=pk).exists()
                and not node.is_ppo
            ),
            "may_edit": node.is_open
            and access.scoped_nodes(user, access.UPDATE).filter(pk=pk).exists(),
            "may_move": node.is_open
            and node.depth > 1
            and access.scoped_nodes(user, access.UPDATE).filter(pk=pk).exists(),
            "may_merge": node.is_open
            and node.depth > 1
            and access.scoped_nodes(user, access.DELETE).filter(pk=pk).exists(),
            "may_close": node.is_open
            and access.scoped_nodes(user, access.DELETE).filter(pk=pk).exists(),
            "may_see_members": access.may(user, access.MEMBER, access.VIEW),
            "may_add_member": node.is_ppo
            and node.is_open
            and access.scoped_ppos_for_members(user, access.CREATE).filter(pk=pk).exists(),
            "may_history": access.may(user, access.AUDIT, access.VIEW),
        },
    )


def _node_data(cleaned: dict) -> dict:
    return {k: v for k, v in cleaned.items() if k in NODE_FIELDS and v is not None}


@login_required
@require_http_methods(["GET", "POST"])
def node_add(request: HttpRequest, pk: int) -> HttpResponse:
    parent = access.get_node(request.user, pk, access.CREATE)
    form = NodeForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            node = services.node_create(
                actor=request.user, parent=parent, data=_node_data(form.cleaned_data)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The node has been created."))
            return redirect("orgs:detail", pk=node.pk)
    return render(request, "orgs/form.html", {"form": form, "parent": parent, "node": None})


@login_required
@require_http_methods(["GET", "POST"])
def node_edit(request: HttpRequest, pk: int) -> HttpResponse:
    node = access.get_node(request.user, pk, access.UPDATE)
    initial = {f: getattr(node, f) for f in NODE_FIELDS} | {"version": node.version}
    form = NodeForm(request.POST or None, node=node, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.node_update(
                actor=request.user,
                node=node,
                data=_node_data(form.cleaned_data),
                version=form.cleaned_data.get("version") or 0,
            )
        except ConflictError as exc:
            form.add_error(None, str(exc))
            status = 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The changes have been saved."))
            return redirect("orgs:detail", pk=node.pk)
    return render(
        request, "orgs/form.html", {"form": form, "parent": None, "node": node}, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_close(request: HttpRequest, pk: int) -> HttpResponse:
    node = access.get_node(request.user, pk, access.DELETE)
    error = None
    if request.method == "POST":
        try:
            services.node_close(actor=request.user, node=node)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("The node has been closed."))
            return redirect("orgs:detail", pk=node.pk)
    return render(
        request, "orgs/close.html", {"node": node, "error": error}, status=400 if error else 200
    )


def _restructure(request, pk: int, *, form_class, service, template: str, done: str):
    """Move or merge a node: the node must be the user's to close or change, the target theirs
    to add to."""
    node = access.get_node(
        request.user, pk, access.UPDATE if service is services.node_move else access.DELETE
    )
    if not node.is_open or node.depth == 1:
        return render(
            request,
            "orgs/restructure.html",
            {
                "node": node,
                "form": None,
                "template": template,
                "error": _("The central office and closed nodes stay where they are."),
            },
            status=400,
        )
    targets = access.scoped_nodes(request.user, access.CREATE)
    form = form_class(request.POST or None, node=node, targets=targets)
    if request.method == "POST" and form.is_valid():
        target = next(iter(form.cleaned_data.values()))
        try:
            if service is services.node_move:
                services.node_move(actor=request.user, node=node, new_parent=target)
            else:
                services.node_merge(actor=request.user, node=node, into=target)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("orgs:detail", pk=node.pk)
    no_targets = not next(iter(form.fields.values())).queryset.exists()
    return render(
        request,
        "orgs/restructure.html",
        {"node": node, "form": form, "template": template, "error": None, "no_targets": no_targets},
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_move(request: HttpRequest, pk: int) -> HttpResponse:
    return _restructure(
        request,
        pk,
        form_class=NodeMoveForm,
        service=services.node_move,
        template="move",
        done=_("The node has been moved with everything under it."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def node_merge(request: HttpRequest, pk: int) -> HttpResponse:
    return _restructure(
        request,
        pk,
        form_class=NodeMergeForm,
        service=services.node_merge,
        template="merge",
        done=_("The node has been merged and closed."),
    )


@login_required
def node_export(request: HttpRequest) -> HttpResponse:
    access.require(request.user, access.NODE, access.EXPORT)
    nodes = selectors.node_list(user=request.user, action=access.EXPORT, include_closed=True)
    audit_export(
        actor=request.user, object_type="orgs.node", node_path="", filters={}, rows=nodes.count()
    )
    header = [
        _("Code"),
        _("Kind"),
        _("Name in Kazakh"),
        _("Name in Russian"),
        _("Name in English"),
        _("Level"),
        _("Active members"),
        _("Size category"),
        _("Address"),
        _("Opened on"),
        _("Closed on"),
    ]

    def body():
        for n in nodes.iterator(chunk_size=2000):
            yield [
                n.code,
                n.kind_label(),
                n.name_kk,
                n.name_ru,
                n.name_en,
                n.depth,
                n.active_member_count if n.is_ppo else "",
                n.get_size_category_display(),
                n.address,
                n.opened_on.strftime("%d.%m.%Y"),
                n.closed_on.strftime("%d.%m.%Y") if n.closed_on else "",
            ]

    return csv_response("branch-tree.csv", header, body())


@login_required
def node_history(request: HttpRequest, pk: int) -> HttpResponse:
    node = access.get_node(request.user, pk)
    return history_page(request, record=node, back_url=reverse("orgs:detail", args=[node.pk]))
