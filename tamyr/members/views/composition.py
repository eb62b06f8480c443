from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tamyr.members.composition import composition
from tamyr.members.forms import CompositionForm
from tamyr.orgs import access
from tamyr.orgs.selectors import node_ancestors


@login_required
def composition_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The membership under a node on a date, and its movement over a period."""
    node = access.get_node(request.user, pk)
    form = CompositionForm(request.GET or None)
    on, start, end = form.period()
    return render(
        request,
        "members/composition.html",
        {
            "node": node,
            "form": form,
            "ancestors": node_ancestors(user=request.user, node=node),
            "c": composition(node=node, on=on, start=start, end=end),
        },
    )
