from django import forms
from django.utils.translation import gettext_lazy as _

from tamyr.core.forms import DateInput
from tamyr.orgs.models import ALLOWED_CHILDREN, HostKind, Node, NodeKind


class NodeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"))
    code = forms.SlugField(
        label=_("Code"), max_length=32, help_text=_("A short unique code, e.g. AST-EC-017.")
    )
    name_kk = forms.CharField(label=_("Name in Kazakh"), max_length=255, required=False)
    name_ru = forms.CharField(label=_("Name in Russian"), max_length=255, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=255, required=False)
    host_kind = forms.ChoiceField(
        label=_("Host"), required=False, choices=[("", "—"), *HostKind.choices]
    )
    host_name_kk = forms.CharField(label=_("Host name in Kazakh"), max_length=255, required=False)
    host_name_ru = forms.CharField(label=_("Host name in Russian"), max_length=255, required=False)
    host_name_en = forms.CharField(label=_("Host name in English"), max_length=255, required=False)
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    opened_on = forms.DateField(label=_("Opened on"), widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, parent: Node | None = None, node: Node | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if node is not None:
            self.fields["kind"].choices = [(node.kind, node.kind_label())]
            self.fields["kind"].disabled = True
        else:
            allowed = ALLOWED_CHILDREN.get(parent.kind, set()) if parent else {NodeKind.CENTRAL}
            self.fields["kind"].choices = [
                (k, label) for k, label in NodeKind.choices if k in allowed
            ]

    def clean(self):
        data = super().clean()
        if not any((data.get(f) or "").strip() for f in ("name_kk", "name_ru", "name_en")):
            self.add_error("name_kk", _("Give the name in at least one language."))
        return data


class NodeFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Name or code")}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("any")), *NodeKind.choices]
    )


def _node_choice_label(node: Node) -> str:
    return f"{node.name} · {node.kind_label()} · {node.code}"


class NodeMoveForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        label=_("New place in the tree"),
        queryset=Node.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the places offered.")},
    )

    def __init__(self, *args, node: Node, targets, **kwargs):
        super().__init__(*args, **kwargs)
        parents = [k for k, children in ALLOWED_CHILDREN.items() if node.kind in children]
        parent_path = node.path[: (node.depth - 1) * Node.steplen]
        field = self.fields["new_parent"]
        field.queryset = (
            targets.filter(kind__in=parents, wing=node.wing, closed_on__isnull=True)
            .exclude(path__startswith=node.path)
            .exclude(path=parent_path)
            .order_by("path")
        )
        field.label_from_instance = _node_choice_label


class NodeMergeForm(forms.Form):
    into = forms.ModelChoiceField(
        label=_("Merge into"),
        queryset=Node.objects.none(),
        error_messages={"invalid_choice": _("Choose one of the nodes offered.")},
    )

    def __init__(self, *args, node: Node, targets, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["into"]
        field.queryset = (
            targets.filter(kind=node.kind, wing=node.wing, closed_on__isnull=True)
            .exclude(path__startswith=node.path)
            .order_by("path")
        )
        field.label_from_instance = _node_choice_label
