"""The whole role-by-object access matrix, with exact expected results.

Each role (anchored at a node of the cast) meets objects at positions relative to its node:
its own node, a child, a sibling, the parent, and another region. Members live only in PPOs, so
a member "at" a position is the member of a PPO at or under that node. Expected values:

- a status code (200, 201, 302, 403, 404, 400, 401);
- ``yes``/``no``: the object appears (or not) in the list or export;
- ``invalid``: the form is shown again with an error and nothing is saved;
- ``page``: sent to the object's own page (an appeal's coupon opens for its registrant alone).

Every value is written out by hand; nothing is derived from the code under test.
"""

import csv
import io
import itertools
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tamyr.appeals.models import Appeal, AppealType, Topic
from tamyr.members.iin import make_iin
from tamyr.members.models import Conferral, Person
from tamyr.orgs.models import Node
from tests.cast import PASSWORD

NODE_ACTIONS = [
    "list", "detail", "children", "history", "create", "update", "delete", "move", "merge",
    "export", "api_list", "api_detail", "api_create", "api_update", "composition",
    "api_composition",
]  # fmt: skip
MEMBER_ACTIONS = [
    "list", "detail", "history", "create", "update", "delete", "export", "step",
    "api_list", "api_detail", "api_create", "api_update", "api_step", "api_events",
]  # fmt: skip
APPLICATION_ACTIONS = [
    "list", "detail", "decide", "new", "api_list", "api_detail", "api_create", "api_admit",
    "api_reject",
]  # fmt: skip
CASE_ACTIONS = [
    "list", "detail", "decide", "open", "api_list", "api_detail", "api_create", "api_decide",
    "api_appeal", "api_appeal_decision", "api_close",
]  # fmt: skip
CONFERRAL_ACTIONS = [
    "list", "create", "delete", "api_list", "api_detail", "api_create", "api_delete",
]  # fmt: skip
CEREMONY_ACTIONS = ["list", "detail", "create", "api_list", "api_detail", "api_create"]
APPEAL_ACTIONS = [
    "list", "detail", "history", "attachment", "create", "coupon", "assign", "api_list",
    "api_detail", "api_create", "api_move",
]  # fmt: skip

# Node positions relative to each anchor, as cast codes.
NODE_POSITIONS = {
    "HQ": {"own": "HQ", "child": "R1", "sibling": "JAS", "other_region": "D3"},
    "R1": {"own": "R1", "child": "D1", "sibling": "R2", "parent": "HQ", "other_region": "D3"},
    "D1": {"own": "D1", "child": "P1", "sibling": "D2", "parent": "R1", "other_region": "D3"},
}
# The PPO whose member stands at each position.
MEMBER_POSITIONS = {
    "HQ": {"own": "PH", "child": "PR1", "sibling": "JP1", "other_region": "P3"},
    "R1": {"own": "PR1", "child": "P1", "sibling": "P3", "parent": "PH", "other_region": "P3"},
    "D1": {"own": "P1", "child": "P1", "sibling": "P2", "parent": "PR1", "other_region": "P3"},
}
ANCHOR = {
    "national_admin": "HQ",
    "regional_secretary": "R1",
    "district_secretary": "D1",
    "reception_operator": "D1",
    "analyst": "D1",
    "juror": "D1",
    "observer": "D1",
    "nobody": "D1",
    "anonymous": "D1",
    "control_commission": "D1",
}

# list detail children history create update delete move merge export api_list api_detail
# api_create api_update composition api_composition; "delete", "move" and "merge" open their
# confirmation forms.
ALL = "yes 200 200 200 302 302 200 200 200 yes yes 200 201 200 200 200"
NOTHING = "no 404 404 404 404 404 404 404 404 no no 404 404 404 404 404"
VIEW_ONLY_IN = "yes 200 200 403 403 403 403 403 403 403 yes 200 403 403 200 200"
VIEW_ONLY_OUT = "no 404 404 404 404 404 404 404 404 403 no 404 404 404 404 404"
VIEW_EXPORT_IN = "yes 200 200 403 403 403 403 403 403 yes yes 200 403 403 200 200"
NO_ROLE = "403 404 404 404 404 404 404 404 404 403 403 404 404 404 404 404"
ANONYMOUS = "302 302 302 302 302 302 302 302 302 302 401 401 401 401 302 401"
# The central office and the youth wing's root never move or merge.
ADMIN_ROOT = "yes 200 200 200 302 302 200 400 400 yes yes 200 201 200 200 200"
SECRETARY_OWN = "yes 200 200 200 302 403 403 403 403 yes yes 200 201 403 200 200"
CC_IN = "yes 200 200 200 403 403 403 403 403 403 yes 200 403 403 200 200"

NODE_EXPECTED = {
    "national_admin": {"own": ADMIN_ROOT, "child": ALL, "sibling": ADMIN_ROOT, "other_region": ALL},
    "regional_secretary": {
        "own": SECRETARY_OWN,
        "child": ALL,
        "sibling": NOTHING,
        "parent": NOTHING,
        "other_region": NOTHING,
    },
    "district_secretary": {
        "own": SECRETARY_OWN,
        # A PPO has nothing under it: the form and the API refuse a child.
        "child": "yes 200 200 200 invalid 302 200 200 200 yes yes 200 400 200 200 200",
        "sibling": NOTHING,
        "parent": NOTHING,
        "other_region": NOTHING,
    },
    "reception_operator": {
        "own": VIEW_ONLY_IN,
        "child": VIEW_ONLY_IN,
        "sibling": VIEW_ONLY_OUT,
        "parent": VIEW_ONLY_OUT,
        "other_region": VIEW_ONLY_OUT,
    },
    "juror": {
        "own": VIEW_ONLY_IN,
        "child": VIEW_ONLY_IN,
        "sibling": VIEW_ONLY_OUT,
        "parent": VIEW_ONLY_OUT,
        "other_region": VIEW_ONLY_OUT,
    },
    "observer": {
        "own": VIEW_ONLY_IN,
        "child": VIEW_ONLY_IN,
        "sibling": VIEW_ONLY_OUT,
        "parent": VIEW_ONLY_OUT,
        "other_region": VIEW_ONLY_OUT,
    },
    "analyst": {
        "own": VIEW_EXPORT_IN,
        "child": VIEW_EXPORT_IN,
        "sibling": NOTHING,
        "parent": NOTHING,
        "other_region": NOTHING,
    },
    "nobody": dict.fromkeys(("own", "child", "sibling", "parent", "other_region"), NO_ROLE),
    "anonymous": dict.fromkeys(("own", "child", "sibling", "parent", "other_region"), ANONYMOUS),
}

# list detail history create update delete export step api_list api_detail api_create
# api_update api_step api_events
M_ALL = "yes 200 200 302 302 200 yes 302 yes 200 201 200 200 200"
M_SECRETARY_IN = "yes 200 200 302 302 403 yes 302 yes 200 201 200 200 200"
M_SECRETARY_OUT = "no 404 404 invalid 404 404 no 404 no 404 400 404 404 404"
M_VIEW_IN = "yes 200 403 403 403 403 403 403 yes 200 403 403 403 200"
M_VIEW_OUT = "no 404 404 403 404 404 403 404 no 404 403 404 404 404"
M_VIEW_EXPORT_IN = "yes 200 403 403 403 403 yes 403 yes 200 403 403 403 200"
M_VIEW_EXPORT_OUT = "no 404 404 403 404 404 no 404 no 404 403 404 404 404"
M_CC_IN = "yes 200 200 403 403 403 403 403 yes 200 403 403 403 200"
M_NONE = "403 404 404 403 404 404 403 404 403 404 403 404 404 404"
M_ANONYMOUS = "302 302 302 302 302 302 302 302 401 401 401 401 401 401"
EVERY = ("own", "child", "sibling", "parent", "other_region")

MEMBER_EXPECTED = {
    "national_admin": dict.fromkeys(("own", "child", "sibling", "other_region"), M_ALL),
    "regional_secretary": {
        "own": M_SECRETARY_IN,
        "child": M_SECRETARY_IN,
        "sibling": M_SECRETARY_OUT,
        "parent": M_SECRETARY_OUT,
        "other_region": M_SECRETARY_OUT,
    },
    "district_secretary": {
        "own": M_SECRETARY_IN,
        "child": M_SECRETARY_IN,
        "sibling": M_SECRETARY_OUT,
        "parent": M_SECRETARY_OUT,
        "other_region": M_SECRETARY_OUT,
    },
    "reception_operator": dict.fromkeys(EVERY, M_NONE),
    "juror": dict.fromkeys(EVERY, M_NONE),
    "observer": {
        "own": M_VIEW_IN,
        "child": M_VIEW_IN,
        "sibling": M_VIEW_OUT,
        "parent": M_VIEW_OUT,
        "other_region": M_VIEW_OUT,
    },
    "analyst": {
        "own": M_VIEW_EXPORT_IN,
        "child": M_VIEW_EXPORT_IN,
        "sibling": M_VIEW_EXPORT_OUT,
        "parent": M_VIEW_EXPORT_OUT,
        "other_region": M_VIEW_EXPORT_OUT,
    },
    "control_commission": {
        "own": M_CC_IN,
        "child": M_CC_IN,
        "sibling": M_VIEW_OUT,
        "parent": M_VIEW_OUT,
        "other_region": M_VIEW_OUT,
    },
    "nobody": dict.fromkeys(EVERY, M_NONE),
    "anonymous": dict.fromkeys(EVERY, M_ANONYMOUS),
}


def _by_scope(inside: str, outside: str, anchor: str = "D1") -> dict[str, str]:
    """Expand an inside/outside pair over the positions of a district-level anchor."""
    if anchor == "HQ":
        return dict.fromkeys(("own", "child", "sibling", "other_region"), inside)
    return {
        "own": inside,
        "child": inside,
        "sibling": outside,
        "parent": outside,
        "other_region": outside,
    }


# Applications: list detail decide new api_list api_detail api_create api_admit api_reject
A_ALL = "yes 200 302 302 yes 200 201 200 200"
A_SECRETARY_OUT = "no 404 404 invalid no 404 400 404 404"
A_VIEW_IN = "yes 200 403 403 yes 200 403 403 403"
A_VIEW_OUT = "no 404 404 403 no 404 403 404 404"
A_NONE = "403 404 404 403 403 404 403 404 404"
A_ANONYMOUS = "302 302 302 302 401 401 401 401 401"
APPLICATION_EXPECTED = {
    "national_admin": _by_scope(A_ALL, A_ALL, "HQ"),
    "regional_secretary": _by_scope(A_ALL, A_SECRETARY_OUT),
    "district_secretary": _by_scope(A_ALL, A_SECRETARY_OUT),
    "control_commission": _by_scope(A_VIEW_IN, A_VIEW_OUT),
    "analyst": _by_scope(A_VIEW_IN, A_VIEW_OUT),
    "observer": _by_scope(A_VIEW_IN, A_VIEW_OUT),
    "reception_operator": _by_scope(A_NONE, A_NONE),
    "juror": _by_scope(A_NONE, A_NONE),
    "nobody": _by_scope(A_NONE, A_NONE),
    "anonymous": _by_scope(A_ANONYMOUS, A_ANONYMOUS),
}

# Cases: list detail decide open api_list api_detail api_create api_decide api_appeal
# api_appeal_decision api_close. The cast's cases are open: appealing, deciding an appeal or
# closing one is refused (400) to whoever may act on it.
C_ALL = "yes 200 302 200 yes 200 201 200 400 400 400"
C_SEE_IN = "yes 200 403 403 yes 200 403 403 403 403 403"
C_SEE_OUT = "no 404 404 404 no 404 403 404 404 404 404"
C_COMMISSION_OUT = "no 404 404 404 no 404 404 404 404 404 404"
C_MEMBERS_ONLY_IN = "403 404 404 403 403 404 403 404 404 404 404"
C_NONE = "403 404 404 404 403 404 403 404 404 404 404"
C_ANONYMOUS = "302 302 302 302 401 401 401 401 401 401 401"
CASE_EXPECTED = {
    "national_admin": _by_scope(C_ALL, C_ALL, "HQ"),
    "regional_secretary": _by_scope(C_SEE_IN, C_SEE_OUT),
    "district_secretary": _by_scope(C_SEE_IN, C_SEE_OUT),
    "control_commission": _by_scope(C_ALL, C_COMMISSION_OUT),
    # They see the member, so opening a case is refused rather than not found.
    "analyst": _by_scope(C_MEMBERS_ONLY_IN, C_NONE),
    "observer": _by_scope(C_MEMBERS_ONLY_IN, C_NONE),
    "reception_operator": _by_scope(C_NONE, C_NONE),
    "juror": _by_scope(C_NONE, C_NONE),
    "nobody": _by_scope(C_NONE, C_NONE),
    "anonymous": _by_scope(C_ANONYMOUS, C_ANONYMOUS),
}

# Conferrals: list create delete api_list api_detail api_create api_delete
W_ALL = "yes 302 200 yes 200 201 204"
W_SECRETARY_OUT = "no invalid 404 no 404 400 404"
W_VIEW_IN = "yes 403 403 yes 200 403 403"
W_VIEW_OUT = "no 403 404 no 404 403 404"
W_NONE = "403 403 404 403 404 403 404"
W_ANONYMOUS = "302 302 302 401 401 401 401"
CONFERRAL_EXPECTED = {
    "national_admin": _by_scope(W_ALL, W_ALL, "HQ"),
    "regional_secretary": _by_scope(W_ALL, W_SECRETARY_OUT),
    "district_secretary": _by_scope(W_ALL, W_SECRETARY_OUT),
    "analyst": _by_scope(W_VIEW_IN, W_VIEW_OUT),
    "observer": _by_scope(W_VIEW_IN, W_VIEW_OUT),
    "control_commission": _by_scope(W_NONE, W_NONE),
    "reception_operator": _by_scope(W_NONE, W_NONE),
    "juror": _by_scope(W_NONE, W_NONE),
    "nobody": _by_scope(W_NONE, W_NONE),
    "anonymous": _by_scope(W_ANONYMOUS, W_ANONYMOUS),
}

# Ceremonies: list detail create api_list api_detail api_create
R_ALL = "yes 200 302 yes 200 201"
R_SECRETARY_OUT = "no 404 invalid no 404 400"
R_VIEW_IN = "yes 200 403 yes 200 403"
R_VIEW_OUT = "no 404 403 no 404 403"
R_NONE = "403 404 403 403 404 403"
R_ANONYMOUS = "302 302 302 401 401 401"
CEREMONY_EXPECTED = {
    "national_admin": _by_scope(R_ALL, R_ALL, "HQ"),
    "regional_secretary": _by_scope(R_ALL, R_SECRETARY_OUT),
    "district_secretary": _by_scope(R_ALL, R_SECRETARY_OUT),
    "analyst": _by_scope(R_VIEW_IN, R_VIEW_OUT),
    "observer": _by_scope(R_VIEW_IN, R_VIEW_OUT),
    "control_commission": _by_scope(R_NONE, R_NONE),
    "reception_operator": _by_scope(R_NONE, R_NONE),
    "juror": _by_scope(R_NONE, R_NONE),
    "nobody": _by_scope(R_NONE, R_NONE),
    "anonymous": _by_scope(R_ANONYMOUS, R_ANONYMOUS),
}

# Appeals (one at each PPO): list detail history attachment create coupon assign. "create"
# sends the form with the token it carries and lands on the new appeal's coupon; "coupon" opens
# the coupon of the cast's appeal, which no session here registered. "assign" posts an empty
# form: 400 means the user reached the form and it refused the data.
# api_list api_detail api_create api_move; "api_move" posts an empty body.
P_ALL = "yes 200 200 200 302 page 400 yes 200 201 400"
P_OUT = "no 404 404 404 invalid 404 404 no 404 400 404"
P_OPERATOR_IN = "yes 200 403 200 302 page 400 yes 200 201 400"
P_NONE = "403 404 404 404 403 404 404 403 404 403 404"
P_ANONYMOUS = "302 302 302 302 302 302 302 401 401 401 401"
APPEAL_EXPECTED = {
    "national_admin": _by_scope(P_ALL, P_ALL, "HQ"),
    "regional_secretary": _by_scope(P_ALL, P_OUT),
    "district_secretary": _by_scope(P_ALL, P_OUT),
    # Operators work on appeals but do not read the audit log.
    "reception_operator": _by_scope(P_OPERATOR_IN, P_OUT),
    # Analysts, observers, jurors and the commission never see a citizen's appeal.
    "analyst": _by_scope(P_NONE, P_NONE),
    "observer": _by_scope(P_NONE, P_NONE),
    "control_commission": _by_scope(P_NONE, P_NONE),
    "juror": _by_scope(P_NONE, P_NONE),
    "nobody": _by_scope(P_NONE, P_NONE),
    "anonymous": _by_scope(P_ANONYMOUS, P_ANONYMOUS),
}

# How many open nodes and members each user's lists hold, exactly ("403": refused).
LIST_COUNTS = {
    "national_admin": (14, 6),
    "regional_secretary": (6, 3),
    "district_secretary": (2, 1),
    "reception_operator": (2, "403"),
    "juror": (2, "403"),
    "observer": (2, 1),
    "analyst": (2, 1),
    "nobody": ("403", "403"),
}

# Pages that belong to no object: user -> expected result for each.
PAGE_ROWS = [
    "home", "login", "logout", "set_language", "text_size", "api_root", "api_schema",
    "api_token", "admin", "case_figures", "award_types", "import_start", "import_template",
    "import_status", "export_xlsx", "api_import", "api_import_status", "appeal_submit",
    "appeal_track", "appeal_figures", "receptions", "officials", "reception_add", "official_add",
    "reception", "api_receptions", "api_officials", "api_figures", "api_public_appeal",
    "api_public_track", "api_topics", "open311_services", "open311_service", "open311_requests",
    "open311_request", "api_reception", "api_reception_record", "appeal_coupon", "appeal_tracked",
]  # fmt: skip
# The import status row opens an import the district secretary uploaded: it is theirs alone.
PAGE_EXPECTED = {
    # A superuser holds no role: the admin opens, the scoped pages do not.
    "superuser": (
        "200 200 302 302 302 200 200 200 200 403 403 403 403 403 403 403 403 200 200 403 "
        "403 403 403 403 404 403 403 404 400 400 200 200 200 403 403"
        " 404 404"
        " 302 302"
    ),
    # The OpenAPI schema describes the API, not its data, so clients may read it first.
    "anonymous": (
        "302 200 302 302 302 401 200 400 302 302 401 302 302 302 302 401 401 200 200 302 "
        "302 302 302 302 302 401 401 401 400 400 200 200 200 403 403"
        " 401 401"
        " 302 302"
    ),
    "national_admin": (
        "200 200 302 302 302 200 200 200 403 200 200 200 200 404 200 202 404 200 200 200 "
        "200 200 200 200 200 200 200 200 400 400 200 200 200 200 200"
        " 200 400"
        " 302 302"
    ),
    "regional_secretary": (
        "200 200 302 302 302 200 200 200 403 200 200 200 200 404 200 202 404 200 200 200 "
        "200 200 200 200 200 200 200 200 400 400 200 200 200 200 200"
        " 200 400"
        " 302 302"
    ),
    "district_secretary": (
        "200 200 302 302 302 200 200 200 403 200 200 200 200 200 200 202 200 200 200 200 "
        "200 200 200 200 200 200 200 200 400 400 200 200 200 200 200"
        " 200 400"
        " 302 302"
    ),
    # The second district's secretary: the reception, its record, the figures and the Open311
    # request are D1's, and the import is the first district secretary's own.
    "district_b_secretary": (
        "200 200 302 302 302 200 200 200 403 200 200 200 200 404 200 202 404 200 200 200 "
        "200 200 200 200 404 200 200 404 400 400 200 200 200 200 404"
        " 404 404"
        " 302 302"
    ),
    "control_commission": (
        "200 200 302 302 302 200 200 200 403 200 403 403 403 403 403 403 403 200 200 200 "
        "403 403 403 403 404 403 403 200 400 400 200 200 200 403 403"
        " 404 404"
        " 302 302"
    ),
    "analyst": (
        "200 200 302 302 302 200 200 200 403 403 200 403 403 403 200 403 403 200 200 200 "
        "200 200 403 403 200 200 200 200 400 400 200 200 200 403 403"
        " 200 403"
        " 302 302"
    ),
    "observer": (
        "200 200 302 302 302 200 200 200 403 403 200 403 403 403 403 403 403 200 200 200 "
        "200 200 403 403 200 200 200 200 400 400 200 200 200 403 403"
        " 200 403"
        " 302 302"
    ),
    "reception_operator": (
        "200 200 302 302 302 200 200 200 403 403 403 403 403 403 403 403 403 200 200 200 "
        "200 200 200 200 200 200 200 200 400 400 200 200 200 200 200"
        " 200 400"
        " 302 302"
    ),
    "juror": (
        "200 200 302 302 302 200 200 200 403 403 403 403 403 403 403 403 403 200 200 200 "
        "403 403 403 403 404 403 403 200 400 400 200 200 200 403 403"
        " 404 404"
        " 302 302"
    ),
    "nobody": (
        "200 200 302 302 302 200 200 200 403 403 403 403 403 403 403 403 403 200 200 403 "
        "403 403 403 403 404 403 403 404 400 400 200 200 200 403 403"
        " 404 404"
        " 302 302"
    ),
}


# Which URL each action goes through: the coverage test below checks every URL has a row.
ACTION_URLS = {
    ("node", "list"): "orgs:tree",
    ("node", "detail"): "orgs:detail",
    ("node", "children"): "orgs:children",
    ("node", "history"): "orgs:history",
    ("node", "create"): "orgs:add",
    ("node", "update"): "orgs:edit",
    ("node", "delete"): "orgs:close",
    ("node", "move"): "orgs:move",
    ("node", "merge"): "orgs:merge",
    ("node", "export"): "orgs:export",
    ("node", "api_list"): "api:node-list",
    ("node", "api_detail"): "api:node-detail",
    ("node", "api_create"): "api:node-list",
    ("node", "api_update"): "api:node-detail",
    ("member", "list"): "members:list",
    ("member", "detail"): "members:detail",
    ("member", "history"): "members:history",
    ("member", "create"): "members:add",
    ("member", "update"): "members:edit",
    ("member", "delete"): "members:delete",
    ("member", "export"): "members:export",
    ("member", "api_list"): "api:member-list",
    ("member", "api_detail"): "api:member-detail",
    ("member", "api_create"): "api:member-list",
    ("member", "api_update"): "api:member-detail",
    ("page", "home"): "core:home",
    ("page", "login"): "login",
    ("page", "logout"): "logout",
    ("page", "set_language"): "set_language",
    ("page", "text_size"): "core:text_size",
    ("page", "api_root"): "api:api-root",
    ("page", "api_schema"): "api:schema",
    ("page", "api_token"): "api:token",
    ("page", "admin"): "admin:index",
    ("page", "import_start"): "members:import_start",
    ("page", "import_template"): "members:import_template",
    ("page", "import_status"): "members:import",
    ("page", "export_xlsx"): "members:export_xlsx",
    ("page", "api_import"): "api:member-import-list",
    ("page", "api_import_status"): "api:member-import-detail",
    ("node", "composition"): "members:composition",
    ("node", "api_composition"): "api:node-composition",
    ("page", "case_figures"): "members:case_figures",
    ("page", "award_types"): "api:award-type-list",
    ("member", "step"): "members:step",
    ("member", "api_step"): "api:member-step",
    ("member", "api_events"): "api:member-events",
    ("application", "list"): "members:applications",
    ("application", "detail"): "members:application",
    ("application", "decide"): "members:application",
    ("application", "new"): "members:application_new",
    ("application", "api_list"): "api:application-list",
    ("application", "api_detail"): "api:application-detail",
    ("application", "api_create"): "api:application-list",
    ("application", "api_admit"): "api:application-admit",
    ("application", "api_reject"): "api:application-reject",
    ("case", "list"): "members:cases",
    ("case", "detail"): "members:case",
    ("case", "decide"): "members:case",
    ("case", "open"): "members:case_open",
    ("case", "api_list"): "api:case-list",
    ("case", "api_detail"): "api:case-detail",
    ("case", "api_create"): "api:case-list",
    ("case", "api_decide"): "api:case-decide",
    ("case", "api_appeal"): "api:case-appeal",
    ("case", "api_appeal_decision"): "api:case-appeal-decision",
    ("case", "api_close"): "api:case-close",
    ("conferral", "list"): "members:awards",
    ("conferral", "create"): "members:conferral_new",
    ("conferral", "delete"): "members:conferral_delete",
    ("conferral", "api_list"): "api:conferral-list",
    ("conferral", "api_detail"): "api:conferral-detail",
    ("conferral", "api_create"): "api:conferral-list",
    ("conferral", "api_delete"): "api:conferral-detail",
    ("ceremony", "list"): "members:ceremonies",
    ("ceremony", "detail"): "members:ceremony",
    ("ceremony", "create"): "members:ceremony_new",
    ("ceremony", "api_list"): "api:ceremony-list",
    ("ceremony", "api_detail"): "api:ceremony-detail",
    ("ceremony", "api_create"): "api:ceremony-list",
    ("appeal", "list"): "appeals:list",
    ("appeal", "detail"): "appeals:detail",
    ("appeal", "history"): "appeals:history",
    ("appeal", "attachment"): "appeals:attachment",
    ("appeal", "create"): "appeals:add",
    ("appeal", "coupon"): "appeals:coupon",
    ("appeal", "assign"): "appeals:detail",
    ("appeal", "api_list"): "api:appeal-list",
    ("appeal", "api_detail"): "api:appeal-detail",
    ("appeal", "api_create"): "api:appeal-list",
    ("appeal", "api_move"): "api:appeal-move",
    ("page", "api_receptions"): "api:reception-list",
    ("page", "api_officials"): "api:official-list",
    ("page", "api_figures"): "api:appeal-figures",
    ("page", "api_public_appeal"): "api:public-appeal",
    ("page", "api_public_track"): "api:public-track",
    ("page", "api_topics"): "api:topics",
    ("page", "open311_services"): "api:open311:services",
    ("page", "open311_service"): "api:open311:service",
    ("page", "open311_requests"): "api:open311:requests",
    ("page", "open311_request"): "api:open311:request",
    ("page", "api_reception"): "api:reception-detail",
    ("page", "api_reception_record"): "api:reception-record",
    ("page", "appeal_submit"): "public:submit",
    ("page", "appeal_track"): "public:track",
    ("page", "appeal_coupon"): "public:coupon",
    ("page", "appeal_tracked"): "public:tracked",
    ("page", "appeal_figures"): "appeals:statistics",
    ("page", "receptions"): "appeals:receptions",
    ("page", "officials"): "appeals:officials",
    ("page", "reception_add"): "appeals:reception_add",
    ("page", "official_add"): "appeals:official_add",
    ("page", "reception"): "appeals:reception",
}
KINDS = {
    "application": (APPLICATION_ACTIONS, APPLICATION_EXPECTED),
    "case": (CASE_ACTIONS, CASE_EXPECTED),
    "conferral": (CONFERRAL_ACTIONS, CONFERRAL_EXPECTED),
    "ceremony": (CEREMONY_ACTIONS, CEREMONY_EXPECTED),
    "appeal": (APPEAL_ACTIONS, APPEAL_EXPECTED),
}


def _cases():
    for user, positions in NODE_EXPECTED.items():
        for position, row in positions.items():
            values = row.split()
            assert len(values) == len(NODE_ACTIONS), (user, position)
            for action, expected in zip(NODE_ACTIONS, values, strict=True):
                yield pytest.param(
                    user, "node", position, action, expected, id=f"{user}-node-{position}-{action}"
                )
    for user, positions in MEMBER_EXPECTED.items():
        for position, row in positions.items():
            values = row.split()
            assert len(values) == len(MEMBER_ACTIONS), (user, position)
            for action, expected in zip(MEMBER_ACTIONS, values, strict=True):
                yield pytest.param(
                    user,
                    "member",
                    position,
                    action,
                    expected,
                    id=f"{user}-member-{position}-{action}",
                )
    for kind, (actions, table) in KINDS.items():
        for user, positions in table.items():
            for position, row in positions.items():
                values = row.split()
                assert len(values) == len(actions), (kind, user, position)
                for action, expected in zip(actions, values, strict=True):
                    yield pytest.param(
                        user,
                        kind,
                        position,
                        action,
                        expected,
                        id=f"{user}-{kind}-{position}-{action}",
                    )


def _client(client, cast, username):
    if username != "anonymous":
        client.force_login(cast["users"][username])
    return client


_serial = itertools.count(5000)


def _new_person_data(ppo_pk):
    birth = date(1990, 4, 12)
    iin = None
    while iin is None:
        iin = make_iin(birth, "f", next(_serial))
    return {
        "surname": "Жаңабаева",
        "given_name": "Әйгерім",
        "patronymic": "Қанатқызы",
        "iin": iin,
        "gender": "f",
        "birth_date": "1990-04-12",
        "phone": "+7 701 555 44 33",
        "address": "",
        "sector": "health",
        "education": "higher",
        "ppo": ppo_pk,
        "admitted_on": "2024-03-01",
        "card_number": "",
        "card_issued_on": "",
    }


def _node_form(node: Node) -> dict:
    return {
        "code": node.code,
        "name_kk": node.name_kk,
        "name_ru": node.name_ru,
        "name_en": "Renamed by the matrix",
        "host_kind": node.host_kind,
        "address": "",
        "opened_on": node.opened_on.isoformat(),
        "version": node.version,
    }


def _person_form(person: Person) -> dict:
    return {
        "surname": person.surname,
        "given_name": person.given_name,
        "patronymic": person.patronymic,
        "iin": person.iin,
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat(),
        "phone": person.phone,
        "address": "Changed by the matrix",
        "sector": person.sector,
        "education": person.education,
        "version": person.version,
    }


def _in_csv(response, needle: str) -> str:
    if response.status_code != 200:
        return str(response.status_code)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    cells = {cell for row in csv.reader(io.StringIO(text)) for cell in row}
    return "yes" if needle in cells else "no"


def _in_page(response, needle: str) -> str:
    if response.status_code != 200:
        return str(response.status_code)
    return "yes" if needle in response.content.decode() else "no"


def _in_api(response, pk: int) -> str:
    if response.status_code != 200:
        return str(response.status_code)
    return "yes" if pk in [row["id"] for row in response.json()["results"]] else "no"


def run_node_action(client, node: Node, action: str) -> str:
    detail = reverse("orgs:detail", args=[node.pk])
    if action == "list":
        return _in_page(client.get(reverse("orgs:tree"), {"q": node.code}), f'href="{detail}"')
    if action == "detail":
        return str(client.get(detail).status_code)
    if action == "children":
        return str(client.get(reverse("orgs:children", args=[node.pk])).status_code)
    if action == "history":
        return str(client.get(reverse("orgs:history", args=[node.pk])).status_code)
    if action == "create":
        before = Node.objects.count()
        response = client.post(
            reverse("orgs:add", args=[node.pk]),
            {
                "kind": "primary",
                "code": "NEW-PPO",
                "name_kk": "Жаңа БПҰ",
                "opened_on": "2020-01-01",
            },
        )
        created = Node.objects.count() - before
        if created:
            assert response.status_code == 302
            assert Node.objects.get(code="NEW-PPO").path.startswith(node.path)
            return "302"
        return (
            "invalid"
            if response.status_code == 200 and response.context["form"].errors
            else str(response.status_code)
        )
    if action == "update":
        response = client.post(reverse("orgs:edit", args=[node.pk]), _node_form(node))
        renamed = Node.objects.get(pk=node.pk).name_en == "Renamed by the matrix"
        assert renamed == (response.status_code == 302 and "login" not in response.url)
        return str(response.status_code)
    if action in ("delete", "move", "merge"):
        name = {"delete": "orgs:close", "move": "orgs:move", "merge": "orgs:merge"}[action]
        return str(client.get(reverse(name, args=[node.pk])).status_code)
    if action == "export":
        response = client.get(reverse("orgs:export"))
        return _in_csv(response, node.code)
    if action == "api_list":
        return _in_api(client.get(reverse("api:node-list"), {"q": node.code}), node.pk)
    if action == "api_detail":
        return str(client.get(reverse("api:node-detail", args=[node.pk])).status_code)
    if action == "api_create":
        before = Node.objects.count()
        response = client.post(
            reverse("api:node-list"),
            {
                "parent": node.pk,
                "kind": "primary",
                "code": "API-PPO",
                "name_kk": "API БПҰ",
                "opened_on": "2020-01-01",
            },
            content_type="application/json",
        )
        assert (Node.objects.count() - before) == (1 if response.status_code == 201 else 0)
        return str(response.status_code)
    if action == "composition":
        return str(client.get(reverse("members:composition", args=[node.pk])).status_code)
    if action == "api_composition":
        return str(client.get(reverse("api:node-composition", args=[node.pk])).status_code)
    if action == "api_update":
        response = client.patch(
            reverse("api:node-detail", args=[node.pk]),
            {"name_en": "Renamed by the API", "version": node.version},
            content_type="application/json",
        )
        renamed = Node.objects.get(pk=node.pk).name_en == "Renamed by the API"
        assert renamed == (response.status_code == 200)
        return str(response.status_code)
    raise AssertionError(action)


def run_member_action(client, person: Person, ppo: Node, action: str) -> str:
    detail = reverse("members:detail", args=[person.pk])
    if action == "list":
        response = client.get(reverse("members:list"), {"q": person.iin})
        return _in_page(response, f'href="{detail}"')
    if action == "detail":
        return str(client.get(detail).status_code)
    if action == "history":
        return str(client.get(reverse("members:history", args=[person.pk])).status_code)
    if action == "create":
        data = _new_person_data(ppo.pk)
        response = client.post(reverse("members:add"), data)
        created = Person.objects.filter(iin=data["iin"]).first()
        if created is not None:
            assert response.status_code == 302 and created.ppo_id == ppo.pk
            return "302"
        return (
            "invalid"
            if response.status_code == 200 and response.context["form"].errors
            else str(response.status_code)
        )
    if action == "update":
        response = client.post(reverse("members:edit", args=[person.pk]), _person_form(person))
        changed = Person.objects.get(pk=person.pk).address == "Changed by the matrix"
        assert changed == (response.status_code == 302 and "login" not in response.url)
        return str(response.status_code)
    if action == "delete":
        return str(client.get(reverse("members:delete", args=[person.pk])).status_code)
    if action == "export":
        return _in_csv(client.get(reverse("members:export")), person.iin)
    if action == "api_list":
        return _in_api(client.get(reverse("api:member-list"), {"q": person.iin}), person.pk)
    if action == "api_detail":
        return str(client.get(reverse("api:member-detail", args=[person.pk])).status_code)
    if action == "api_create":
        data = _new_person_data(ppo.pk)
        data = {k: v for k, v in data.items() if v != ""}
        response = client.post(reverse("api:member-list"), data, content_type="application/json")
        created = Person.objects.filter(iin=data["iin"]).exists()
        assert created == (response.status_code == 201)
        return str(response.status_code)
    if action == "step":
        response = client.post(
            reverse("members:step", args=[person.pk, "suspend"]),
            {"on": today(), "reason": "matrix"},
        )
        suspended = Person.objects.get(pk=person.pk).status == "suspended"
        assert suspended == (response.status_code == 302 and "login" not in response.url)
        return str(response.status_code)
    if action == "api_step":
        response = client.post(
            reverse("api:member-step", args=[person.pk, "suspend"]),
            {"on": today()},
            content_type="application/json",
        )
        suspended = Person.objects.get(pk=person.pk).status == "suspended"
        assert suspended == (response.status_code == 200)
        return str(response.status_code)
    if action == "api_events":
        return str(client.get(reverse("api:member-events", args=[person.pk])).status_code)
    if action == "api_update":
        response = client.patch(
            reverse("api:member-detail", args=[person.pk]),
            {"address": "Changed by the API", "version": person.version},
            content_type="application/json",
        )
        changed = Person.objects.get(pk=person.pk).address == "Changed by the API"
        assert changed == (response.status_code == 200)
        return str(response.status_code)
    raise AssertionError(action)


def today() -> str:
    """Return today's date as forms write it, read when the action runs, not at import."""
    return date.today().isoformat()


def _status_after(response, ok: int, changed: bool) -> str:
    """Return the status code, checking that the record changed exactly when it succeeded."""
    succeeded = response.status_code == ok and (ok != 302 or "login" not in response.url)
    assert changed == succeeded, (response.status_code, changed)
    return str(response.status_code)


def run_application_action(client, application, ppo: Node, action: str) -> str:
    from tamyr.members.models import Application

    detail = reverse("members:application", args=[application.pk])
    api_detail = reverse("api:application-detail", args=[application.pk])
    decision = {"decided_on": today(), "decision_body": "ppo_meeting", "protocol_number": "12"}

    def status():
        return Application.objects.get(pk=application.pk).status

    if action == "list":
        return _in_page(client.get(reverse("members:applications")), f'href="{detail}"')
    if action == "detail":
        return str(client.get(detail).status_code)
    if action == "decide":
        response = client.post(detail, {**decision, "decision": "admit"})
        if response.status_code == 200:
            return "invalid"
        return _status_after(response, 302, status() == "admitted")
    if action == "new":
        data = _new_person_data(ppo.pk)
        data = {
            k: data[k]
            for k in (
                "surname",
                "given_name",
                "patronymic",
                "iin",
                "gender",
                "birth_date",
                "sector",
                "education",
                "ppo",
            )
        }
        response = client.post(reverse("members:application_new"), {**data, "applied_on": today()})
        created = Application.objects.filter(person__iin=data["iin"]).exists()
        if response.status_code == 200:
            assert not created and response.context["form"].errors
            return "invalid"
        return _status_after(response, 302, created)
    if action == "api_list":
        return _in_api(client.get(reverse("api:application-list")), application.pk)
    if action == "api_detail":
        return str(client.get(api_detail).status_code)
    if action == "api_create":
        data = _new_person_data(ppo.pk)
        person = {
            k: data[k]
            for k in ("surname", "given_name", "iin", "gender", "birth_date", "sector", "education")
        }
        response = client.post(
            reverse("api:application-list"),
            {"ppo": ppo.pk, "applied_on": today(), "person": person},
            content_type="application/json",
        )
        created = Application.objects.filter(person__iin=data["iin"]).exists()
        return _status_after(response, 201, created)
    if action in ("api_admit", "api_reject"):
        verb = action[4:]
        response = client.post(
            reverse(f"api:application-{verb}", args=[application.pk]),
            {**decision, "reason": "matrix"},
            content_type="application/json",
        )
        return _status_after(response, 200, status() != "pending")
    raise AssertionError(action)


def run_case_action(client, case, person: Person, action: str) -> str:
    from tamyr.members.models import DisciplineCase

    detail = reverse("members:case", args=[case.pk])

    def decided():
        return DisciplineCase.objects.get(pk=case.pk).status != "open"

    decision = {
        "decided_on": today(),
        "outcome": "penalty",
        "penalty": "warning",
        "protocol_number": "7",
        "version": case.version,
    }
    if action == "list":
        return _in_page(client.get(reverse("members:cases")), f'href="{detail}"')
    if action == "detail":
        return str(client.get(detail).status_code)
    if action == "decide":
        return _status_after(client.post(detail, decision), 302, decided())
    if action == "open":
        return str(client.get(reverse("members:case_open", args=[person.pk])).status_code)
    if action == "api_list":
        return _in_api(client.get(reverse("api:case-list")), case.pk)
    if action == "api_detail":
        return str(client.get(reverse("api:case-detail", args=[case.pk])).status_code)
    if action == "api_create":
        before = DisciplineCase.objects.count()
        response = client.post(
            reverse("api:case-list"),
            {"person": person.pk, "opened_on": today(), "grounds": "matrix"},
            content_type="application/json",
        )
        return _status_after(response, 201, DisciplineCase.objects.count() > before)
    name = {
        "api_decide": "decide",
        "api_appeal": "appeal",
        "api_appeal_decision": "appeal-decision",
        "api_close": "close",
    }[action]
    body = {"version": case.version, "filed_on": today(), **decision}
    if action == "api_appeal_decision":
        body["outcome"] = "upheld"
    response = client.post(
        reverse(f"api:case-{name}", args=[case.pk]), body, content_type="application/json"
    )
    return _status_after(response, 200, decided())


def run_conferral_action(client, conferral, node: Node, action: str) -> str:
    from tamyr.members.models import AwardType, Conferral

    award = AwardType.objects.get(code="certificate-of-honour")
    new = {
        "node": node.pk,
        "award": award.pk,
        "citizen_name": "Matrix Citizen",
        "conferred_on": today(),
        "conferring_body": "Bureau",
        "reason_en": "Help",
    }

    def created():
        return Conferral.objects.filter(citizen_name="Matrix Citizen").exists()

    if action == "list":
        return _in_page(client.get(reverse("members:awards")), conferral.citizen_name)
    if action == "create":
        response = client.post(reverse("members:conferral_new"), new)
        if response.status_code == 200:
            assert not created() and response.context["form"].errors
            return "invalid"
        return _status_after(response, 302, created())
    if action == "delete":
        return str(client.get(reverse("members:conferral_delete", args=[conferral.pk])).status_code)
    if action == "api_list":
        return _in_api(client.get(reverse("api:conferral-list")), conferral.pk)
    if action == "api_detail":
        return str(client.get(reverse("api:conferral-detail", args=[conferral.pk])).status_code)
    if action == "api_create":
        response = client.post(reverse("api:conferral-list"), new, content_type="application/json")
        return _status_after(response, 201, created())
    if action == "api_delete":
        response = client.delete(reverse("api:conferral-detail", args=[conferral.pk]))
        gone = not Conferral.objects.filter(pk=conferral.pk).exists()
        return _status_after(response, 204, gone)
    raise AssertionError(action)


def run_ceremony_action(client, ceremony, node: Node, action: str) -> str:
    from tamyr.members.models import Ceremony

    detail = reverse("members:ceremony", args=[ceremony.pk])
    new = {"node": node.pk, "held_on": today(), "title_en": "Matrix ceremony"}

    def created():
        return Ceremony.objects.filter(title_en="Matrix ceremony").exists()

    if action == "list":
        return _in_page(client.get(reverse("members:ceremonies")), f'href="{detail}"')
    if action == "detail":
        return str(client.get(detail).status_code)
    if action == "create":
        response = client.post(reverse("members:ceremony_new"), new)
        if response.status_code == 200:
            assert not created() and response.context["form"].errors
            return "invalid"
        return _status_after(response, 302, created())
    if action == "api_list":
        return _in_api(client.get(reverse("api:ceremony-list")), ceremony.pk)
    if action == "api_detail":
        return str(client.get(reverse("api:ceremony-detail", args=[ceremony.pk])).status_code)
    if action == "api_create":
        response = client.post(reverse("api:ceremony-list"), new, content_type="application/json")
        return _status_after(response, 201, created())
    raise AssertionError(action)


def run_appeal_action(client, appeal, node: Node, action: str) -> str:
    detail = reverse("appeals:detail", args=[appeal.pk])
    if action == "list":
        return _in_page(client.get(reverse("appeals:list")), f'href="{detail}"')
    if action == "detail":
        return str(client.get(detail).status_code)
    if action == "history":
        return str(client.get(reverse("appeals:history", args=[appeal.pk])).status_code)
    if action == "attachment":
        attachment = appeal.attachments.get()
        url = reverse("appeals:attachment", args=[appeal.pk, attachment.pk])
        return str(client.get(url).status_code)
    if action == "create":
        new = {
            "channel": "call_centre",
            "received_at": "2026-11-02T10:00",
            "appeal_type": AppealType.objects.get(code="appeal").pk,
            "node": node.pk,
            "citizen_name": "Matrix citizen",
            "contact": "+7 705 111 22 33",
            "topic": Topic.objects.get(code="housing").pk,
            "text": "Matrix appeal",
        }
        form = client.get(reverse("appeals:add"))
        if form.status_code == 200:
            new["submission"] = form.context["submission"]
        response = client.post(reverse("appeals:add"), new)
        created = Appeal.objects.filter(citizen_name="Matrix citizen").first()
        if response.status_code == 200:
            assert not created and response.context["form"].errors
            return "invalid"
        result = _status_after(response, 302, created is not None)
        if created is not None:
            # The registrant is sent to the coupon, and it opens for them.
            assert response["Location"] == reverse("appeals:coupon", args=[created.pk])
            assert created.number in client.get(response["Location"]).content.decode()
        return result
    if action == "coupon":
        # The cast registered the appeal, not this session: nobody here has its coupon.
        response = client.get(reverse("appeals:coupon", args=[appeal.pk]))
        if response.status_code == 302 and response["Location"] == detail:
            return "page"
        return str(response.status_code)
    if action == "assign":
        response = client.post(detail, {"action": "assign", "version": appeal.version})
        assert Appeal.objects.get(pk=appeal.pk).status == "registered"
        return str(response.status_code)
    if action == "api_list":
        return _in_api(client.get(reverse("api:appeal-list")), appeal.pk)
    if action == "api_detail":
        return str(client.get(reverse("api:appeal-detail", args=[appeal.pk])).status_code)
    if action == "api_create":
        new = {
            "channel": "letter", "topic": "housing", "node": node.pk, "text": "Matrix API",
            "citizen_name": "Matrix API citizen", "contact": "+7 705 000 00 01",
        }  # fmt: skip
        response = client.post(reverse("api:appeal-list"), new, content_type="application/json")
        created = Appeal.objects.filter(citizen_name="Matrix API citizen").exists()
        return _status_after(response, 201, created)
    if action == "api_move":
        response = client.post(reverse("api:appeal-move", args=[appeal.pk]), {})
        assert Appeal.objects.get(pk=appeal.pk).version == appeal.version
        return str(response.status_code)
    raise AssertionError(action)


@pytest.mark.parametrize(("user", "kind", "position", "action", "expected"), list(_cases()))
def test_access_matrix(client, cast, user, kind, position, action, expected):
    client = _client(client, cast, user)
    anchor = ANCHOR[user]
    if kind == "node":
        node = cast["nodes"][NODE_POSITIONS[anchor][position]]
        assert run_node_action(client, node, action) == expected
        return
    ppo_code = MEMBER_POSITIONS[anchor][position]
    ppo = cast["nodes"][ppo_code]
    person = cast["members"][ppo_code]
    if kind == "member":
        result = run_member_action(client, person, ppo, action)
    elif kind == "application":
        result = run_application_action(client, ppo.applications.get(), ppo, action)
    elif kind == "case":
        result = run_case_action(client, person.discipline_cases.get(), person, action)
    elif kind == "conferral":
        conferral = Conferral.objects.get(node=ppo)
        result = run_conferral_action(client, conferral, ppo, action)
    elif kind == "appeal":
        result = run_appeal_action(client, Appeal.objects.get(node=ppo), ppo, action)
    else:
        result = run_ceremony_action(client, ppo.ceremonies.get(), ppo, action)
    assert result == expected


@pytest.mark.parametrize("user", list(LIST_COUNTS))
def test_list_counts_are_exact(client, cast, user):
    client = _client(client, cast, user)
    nodes_expected, members_expected = LIST_COUNTS[user]
    nodes = client.get(reverse("api:node-list"))
    members = client.get(reverse("api:member-list"))
    assert (
        nodes.json()["count"] if nodes.status_code == 200 else str(nodes.status_code)
    ) == nodes_expected
    assert (
        members.json()["count"] if members.status_code == 200 else str(members.status_code)
    ) == members_expected
    page = client.get(reverse("members:list"))
    web = page.context["page"].paginator.count if page.status_code == 200 else "403"
    assert web == members_expected


def _reception_at_d1(cast):
    from tamyr.appeals.models import ReceptionFormat
    from tamyr.appeals.receptions import official_create, reception_schedule

    admin = cast["users"]["national_admin"]
    official = official_create(
        actor=admin, full_name="Matrix deputy", position="Deputy", kind="deputy",
        node=cast["nodes"]["D1"],
    )  # fmt: skip
    format_, _ = ReceptionFormat.objects.get_or_create(code="regular", defaults={"name": "R"})
    return reception_schedule(
        actor=admin, official=official, node=cast["nodes"]["D1"], format=format_,
        starts_at=timezone.now(), place="Office",
    )  # fmt: skip


def run_page(client, cast, username: str, row: str) -> str:
    if row == "home":
        return str(client.get(reverse("core:home")).status_code)
    if row == "login":
        return str(client.get(reverse("login")).status_code)
    if row == "logout":
        return str(client.post(reverse("logout")).status_code)
    if row == "set_language":
        return str(
            client.post(reverse("set_language"), {"language": "ru", "next": "/"}).status_code
        )
    if row == "text_size":
        return str(client.post(reverse("core:text_size"), {"size": "large"}).status_code)
    if row == "api_root":
        return str(client.get(reverse("api:api-root")).status_code)
    if row == "api_schema":
        return str(client.get(reverse("api:schema")).status_code)
    if row == "api_token":
        name = {"anonymous": "nobody", "superuser": "root"}.get(username, username)
        password = PASSWORD if username != "anonymous" else "wrong password"
        return str(
            client.post(reverse("api:token"), {"username": name, "password": password}).status_code
        )
    if row == "admin":
        return str(client.get(reverse("admin:index")).status_code)
    if row == "case_figures":
        return str(client.get(reverse("members:case_figures")).status_code)
    if row == "award_types":
        return str(client.get(reverse("api:award-type-list")).status_code)
    if row == "import_start":
        return str(client.get(reverse("members:import_start")).status_code)
    if row == "import_template":
        return str(client.get(reverse("members:import_template", args=["csv"])).status_code)
    if row == "import_status":
        from tamyr.members.models import MemberImport

        job = MemberImport.objects.create(
            user=cast["users"]["district_secretary"],
            file_name="x.csv",
            stored_path="/nonexistent",
            status="done",
        )
        return str(client.get(reverse("members:import", args=[job.uuid])).status_code)
    if row == "export_xlsx":
        return str(client.get(reverse("members:export_xlsx")).status_code)
    if row == "api_import":
        import io

        upload = io.BytesIO(b"IIN;Surname\n")
        upload.name = "empty.csv"
        return str(client.post(reverse("api:member-import-list"), {"file": upload}).status_code)
    simple = {
        "appeal_figures": "appeals:statistics",
        "receptions": "appeals:receptions",
        "officials": "appeals:officials",
        "reception_add": "appeals:reception_add",
        "official_add": "appeals:official_add",
    }
    if row in simple:
        return str(client.get(reverse(simple[row])).status_code)
    if row == "reception":
        reception = _reception_at_d1(cast)
        return str(client.get(reverse("appeals:reception", args=[reception.pk])).status_code)
    if row == "api_reception":
        reception = _reception_at_d1(cast)
        return str(client.get(reverse("api:reception-detail", args=[reception.pk])).status_code)
    if row == "api_reception_record":
        reception = _reception_at_d1(cast)
        response = client.post(reverse("api:reception-record", args=[reception.pk]), {})
        return str(response.status_code)
    api_rows = {
        "api_receptions": "api:reception-list",
        "api_officials": "api:official-list",
        "api_topics": "api:topics",
        "open311_services": "api:open311:services",
        "open311_requests": "api:open311:requests",
    }
    if row in api_rows:
        return str(client.get(reverse(api_rows[row])).status_code)
    if row == "api_figures":
        query = {"node": cast["nodes"]["D1"].pk, "start": "2026-01-01", "end": "2026-11-01"}
        return str(client.get(reverse("api:appeal-figures"), query).status_code)
    if row in ("api_public_appeal", "api_public_track"):
        return str(client.post(reverse(f"api:{row[4:].replace('_', '-')}"), {}).status_code)
    if row == "open311_service":
        return str(client.get(reverse("api:open311:service", args=["housing"])).status_code)
    if row == "open311_request":
        number = Appeal.objects.get(node=cast["nodes"]["P1"]).number
        return str(client.get(reverse("api:open311:request", args=[number])).status_code)
    if row == "appeal_submit":
        return str(client.get(reverse("public:submit")).status_code)
    if row == "appeal_track":
        return str(client.get(reverse("public:track")).status_code)
    if row in ("appeal_coupon", "appeal_tracked"):
        # Only the session that sent the appeal (or gave its code) sees these: none here, so
        # everyone is sent back to the form.
        return str(client.get(reverse(f"public:{row[7:]}")).status_code)
    if row == "api_import_status":
        from tamyr.members.models import MemberImport

        job = MemberImport.objects.create(
            user=cast["users"]["district_secretary"],
            file_name="x.csv",
            stored_path="/nonexistent",
            status="done",
        )
        return str(client.get(reverse("api:member-import-detail", args=[job.uuid])).status_code)
    raise AssertionError(row)


@pytest.mark.parametrize(
    ("user", "row", "expected"),
    [
        pytest.param(u, r, e, id=f"{u}-{r}")
        for u, line in PAGE_EXPECTED.items()
        for r, e in zip(PAGE_ROWS, line.split(), strict=True)
    ],
)
def test_page_matrix(client, cast, user, row, expected):
    if user == "superuser":
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username="root"))
    else:
        client = _client(client, cast, user)
    assert run_page(client, cast, user, row) == expected


def _project_url_names():
    from django.urls import URLPattern, URLResolver, get_resolver

    names = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = namespace
                if p.namespace:
                    ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
                walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern):
                name = p.name or f"<unnamed {p.pattern}>"
                names.add(f"{namespace}:{name}" if namespace else name)

    walk(get_resolver().url_patterns, "")
    return names


def test_every_url_has_a_row_in_the_matrix():
    covered = set(ACTION_URLS.values())
    # The admin is one row: superusers only, each of its pages behind the same gate.
    missing = sorted(
        n for n in _project_url_names() if n not in covered and not n.startswith("admin:")
    )
    assert missing == []


def test_matrix_rows_name_real_urls():
    names = _project_url_names()
    assert sorted(set(ACTION_URLS.values()) - names) == []


# -- receptions and officials in each district ----------------------------------------------
# The cast has an official ("Official of D1", ...) and a planned reception with them in each
# district. Positions are the districts themselves: each user meets the reception and the
# official of D1, D2 and D3, inside or outside their subtree.
#
# Receptions: list detail record create api_list api_detail api_create api_record. "record"
# records the reception as cancelled (the page's form, then the API's); "create" schedules a
# reception with the district's official at the district.
RECEPTION_ACTIONS = [
    "list", "detail", "record", "create", "api_list", "api_detail", "api_create", "api_record",
]  # fmt: skip
RC_MANAGE_IN = "yes 200 302 302 yes 200 201 200"
# Outside: not found, and the official and the branch are not among the form's choices.
RC_MANAGE_OUT = "no 404 404 invalid no 404 400 404"
RC_VIEW_IN = "yes 200 403 403 yes 200 403 403"
RC_VIEW_OUT = "no 404 404 403 no 404 403 404"
RC_NONE = "403 404 404 403 403 404 403 404"
RC_ANONYMOUS = "302 302 302 302 401 401 401 401"

# Officials: list create api_list api_create figures. "create" adds an official at the district;
# "figures" asks the API's appeal figures of the district, which name its officials only to
# those who see the reception schedule there.
OFFICIAL_ACTIONS = ["list", "create", "api_list", "api_create", "figures"]
OF_MANAGE_IN = "yes 302 yes 201 yes"
OF_MANAGE_OUT = "no invalid no 400 404"
OF_VIEW_IN = "yes 403 yes 403 yes"
OF_VIEW_OUT = "no 403 no 403 404"
# Jurors and the commission see the branch's figures, without the officials' names.
OF_BRANCH_ONLY_IN = "403 403 403 403 no"
OF_NONE = "403 403 403 403 404"
OF_ANONYMOUS = "302 302 401 401 401"


def _districts(d1: str, d2: str, d3: str) -> dict[str, str]:
    return {"D1": d1, "D2": d2, "D3": d3}


RECEPTION_EXPECTED = {
    "national_admin": _districts(RC_MANAGE_IN, RC_MANAGE_IN, RC_MANAGE_IN),
    "regional_secretary": _districts(RC_MANAGE_IN, RC_MANAGE_IN, RC_MANAGE_OUT),
    "district_secretary": _districts(RC_MANAGE_IN, RC_MANAGE_OUT, RC_MANAGE_OUT),
    "district_b_secretary": _districts(RC_MANAGE_OUT, RC_MANAGE_IN, RC_MANAGE_OUT),
    "reception_operator": _districts(RC_MANAGE_IN, RC_MANAGE_OUT, RC_MANAGE_OUT),
    "analyst": _districts(RC_VIEW_IN, RC_VIEW_OUT, RC_VIEW_OUT),
    "observer": _districts(RC_VIEW_IN, RC_VIEW_OUT, RC_VIEW_OUT),
    "control_commission": _districts(RC_NONE, RC_NONE, RC_NONE),
    "juror": _districts(RC_NONE, RC_NONE, RC_NONE),
    "nobody": _districts(RC_NONE, RC_NONE, RC_NONE),
    "anonymous": _districts(RC_ANONYMOUS, RC_ANONYMOUS, RC_ANONYMOUS),
}
OFFICIAL_EXPECTED = {
    "national_admin": _districts(OF_MANAGE_IN, OF_MANAGE_IN, OF_MANAGE_IN),
    "regional_secretary": _districts(OF_MANAGE_IN, OF_MANAGE_IN, OF_MANAGE_OUT),
    "district_secretary": _districts(OF_MANAGE_IN, OF_MANAGE_OUT, OF_MANAGE_OUT),
    "district_b_secretary": _districts(OF_MANAGE_OUT, OF_MANAGE_IN, OF_MANAGE_OUT),
    "reception_operator": _districts(OF_MANAGE_IN, OF_MANAGE_OUT, OF_MANAGE_OUT),
    "analyst": _districts(OF_VIEW_IN, OF_VIEW_OUT, OF_VIEW_OUT),
    "observer": _districts(OF_VIEW_IN, OF_VIEW_OUT, OF_VIEW_OUT),
    "control_commission": _districts(OF_BRANCH_ONLY_IN, OF_NONE, OF_NONE),
    "juror": _districts(OF_BRANCH_ONLY_IN, OF_NONE, OF_NONE),
    "nobody": _districts(OF_NONE, OF_NONE, OF_NONE),
    "anonymous": _districts(OF_ANONYMOUS, OF_ANONYMOUS, OF_ANONYMOUS),
}
# How many receptions and officials each user's lists hold, exactly ("403": refused).
RECEPTION_COUNTS = {
    "national_admin": (3, 3),
    "regional_secretary": (2, 2),
    "district_secretary": (1, 1),
    "district_b_secretary": (1, 1),
    "reception_operator": (1, 1),
    "analyst": (1, 1),
    "observer": (1, 1),
    "control_commission": ("403", "403"),
    "juror": ("403", "403"),
    "nobody": ("403", "403"),
}


def _reception_cases():
    for kind, actions, table in (
        ("reception", RECEPTION_ACTIONS, RECEPTION_EXPECTED),
        ("official", OFFICIAL_ACTIONS, OFFICIAL_EXPECTED),
    ):
        for user, districts in table.items():
            for district, row in districts.items():
                values = row.split()
                assert len(values) == len(actions), (kind, user, district)
                for action, expected in zip(actions, values, strict=True):
                    yield pytest.param(
                        user, kind, district, action, expected,
                        id=f"{user}-{kind}-{district}-{action}",
                    )  # fmt: skip


def run_reception_action(client, reception, action: str) -> str:
    from tamyr.appeals.models import Reception, ReceptionFormat

    detail = reverse("appeals:reception", args=[reception.pk])
    api_detail = reverse("api:reception-detail", args=[reception.pk])
    day = timezone.localtime(reception.starts_at).date().isoformat()

    def cancelled() -> bool:
        return Reception.objects.get(pk=reception.pk).status == "cancelled"

    def created() -> bool:
        return Reception.objects.filter(place="Matrix reception room").exists()

    if action == "list":
        response = client.get(reverse("appeals:receptions"), {"start": day, "end": day})
        return _in_page(response, f'href="{detail}"')
    if action == "detail":
        return str(client.get(detail).status_code)
    if action == "record":
        response = client.post(
            detail, {"version": reception.version, "status": "cancelled", "visitors": 0}
        )
        return _status_after(response, 302, cancelled())
    if action == "create":
        response = client.post(
            reverse("appeals:reception_add"),
            {
                "official": reception.official_id,
                "node": reception.node_id,
                "format": ReceptionFormat.objects.get(code="regular").pk,
                "starts_at": "2026-11-10T10:00",
                "place_en": "Matrix reception room",
            },
        )
        if response.status_code == 200:
            form = response.context["form"]
            assert not created() and set(form.errors) == {"official", "node"}
            return "invalid"
        return _status_after(response, 302, created())
    if action == "api_list":
        return _in_api(client.get(reverse("api:reception-list")), reception.pk)
    if action == "api_detail":
        return str(client.get(api_detail).status_code)
    if action == "api_create":
        response = client.post(
            reverse("api:reception-list"),
            {
                "official": reception.official_id, "node": reception.node_id,
                "format": "regular", "starts_at": "2026-11-10T10:00:00+05:00",
                "place": "Matrix reception room",
            },
            content_type="application/json",
        )  # fmt: skip
        return _status_after(response, 201, created())
    if action == "api_record":
        response = client.post(
            reverse("api:reception-record", args=[reception.pk]),
            {"version": reception.version, "status": "cancelled", "visitors": 0},
            content_type="application/json",
        )
        return _status_after(response, 200, cancelled())
    raise AssertionError(action)


def run_official_action(client, official, action: str) -> str:
    from tamyr.appeals.models import Official

    new = {
        "full_name": "Matrix official", "position_en": "Deputy", "kind": "deputy",
        "node": official.node_id,
    }  # fmt: skip

    def created() -> bool:
        return Official.objects.filter(full_name="Matrix official").exists()

    if action == "list":
        return _in_page(client.get(reverse("appeals:officials")), official.full_name)
    if action == "create":
        response = client.post(reverse("appeals:official_add"), new)
        if response.status_code == 200:
            assert not created() and set(response.context["form"].errors) == {"node"}
            return "invalid"
        return _status_after(response, 302, created())
    if action == "api_list":
        return _in_api(client.get(reverse("api:official-list")), official.pk)
    if action == "api_create":
        response = client.post(reverse("api:official-list"), new, content_type="application/json")
        return _status_after(response, 201, created())
    if action == "figures":
        query = {"node": official.node_id, "start": "2026-01-01", "end": "2026-11-01"}
        response = client.get(reverse("api:appeal-figures"), query)
        if response.status_code != 200:
            return str(response.status_code)
        named = [o["id"] for o in response.json()["officials"] or []]
        return "yes" if official.pk in named else "no"
    raise AssertionError(action)


@pytest.mark.parametrize(
    ("user", "kind", "district", "action", "expected"), list(_reception_cases())
)
def test_reception_matrix(client, cast, user, kind, district, action, expected):
    from tamyr.appeals.models import Official

    client = _client(client, cast, user)
    official = Official.objects.get(full_name=f"Official of {district}")
    if kind == "reception":
        result = run_reception_action(client, official.receptions.get(), action)
    else:
        result = run_official_action(client, official, action)
    assert result == expected


@pytest.mark.parametrize("user", list(RECEPTION_COUNTS))
def test_reception_and_official_counts_are_exact(client, cast, user):
    client = _client(client, cast, user)
    receptions_expected, officials_expected = RECEPTION_COUNTS[user]

    def count(response):
        return (
            response.json()["count"] if response.status_code == 200 else str(response.status_code)
        )

    assert count(client.get(reverse("api:reception-list"))) == receptions_expected
    assert count(client.get(reverse("api:official-list"))) == officials_expected
    page = client.get(reverse("appeals:officials"))
    web = page.context["page"].paginator.count if page.status_code == 200 else "403"
    assert web == officials_expected


# -- who moves an appeal: the executor answers; only the controller returns, extends, signs off
# An appeal at P1 is in work with the district secretary as its executor and the reception
# operator as its controller. Each move is tried with a valid body by everyone who works on
# appeals and sees it (a second operator of the same branch, the regional secretary above, the
# national administrator) and by the secretary of the sibling district, who does not see it.
# The service answers "done" or "denied"; the page says whether it offers the move's form, then
# how it answers the post ("form:302"); an outsider's page is not found ("404:404"); the API
# answers with its status code.
MOVE_USERS = (
    "district_secretary",  # the executor
    "reception_operator",  # the controller
    "second_operator",
    "regional_secretary",
    "national_admin",
    "district_b_secretary",
)
MOVE_EXPECTED = {
    "service": {
        "answer": "done denied denied denied denied denied",
        "return": "denied done denied denied denied denied",
        "extend": "denied done denied denied denied denied",
        "close": "denied done denied denied denied denied",
    },
    "page": {
        "answer": "form:302 none:403 none:403 none:403 none:403 404:404",
        "return": "none:403 form:302 none:403 none:403 none:403 404:404",
        "extend": "none:403 form:302 none:403 none:403 none:403 404:404",
        "close": "none:403 form:302 none:403 none:403 none:403 404:404",
    },
    "api": {
        "answer": "200 403 403 403 403 404",
        "return": "403 200 403 403 403 404",
        "extend": "403 200 403 403 403 404",
        "close": "403 200 403 403 403 404",
    },
}
MOVE_ANSWER = "Жарық 20 қарашада қосылды."
MOVE_NOTE = "Answer the second question too."
MOVE_REASON = "The akimat's answer is awaited."


def _move_cases():
    for channel, moves in MOVE_EXPECTED.items():
        for move, row in moves.items():
            for user, expected in zip(MOVE_USERS, row.split(), strict=True):
                yield pytest.param(channel, move, user, expected, id=f"{channel}-{move}-{user}")


def _appeal_for_move(cast, move: str) -> Appeal:
    """Return an appeal at P1 in the status the move starts from, with its executor and
    controller named."""
    from tamyr.appeals.services import appeal_move, appeal_receive

    operator, executor = cast["users"]["reception_operator"], cast["users"]["district_secretary"]
    appeal, _secret = appeal_receive(
        actor=operator, channel="call_centre", topic=Topic.objects.get(code="housing"),
        node=cast["nodes"]["P1"], citizen_name="Әсел Қайратқызы", contact="+7 701 555 44 33",
        text="Ауламызда жарық жоқ.",
    )  # fmt: skip
    appeal = appeal_move(
        actor=operator, appeal=appeal, version=appeal.version, action="assign",
        executor=executor, controller=operator,
    )  # fmt: skip
    if move in ("return", "close"):
        appeal = appeal_move(
            actor=executor, appeal=appeal, version=appeal.version, action="answer",
            outcome="resolved_fully", answer=MOVE_ANSWER,
        )  # fmt: skip
    return appeal


def _move_body(move: str, appeal: Appeal) -> dict:
    if move == "answer":
        return {"outcome": "resolved_fully", "answer": MOVE_ANSWER}
    if move == "return":
        return {"note": MOVE_NOTE}
    if move == "extend":
        # A day past the current term: later than it, and well within two months of receipt.
        return {"due_on": appeal.due_on + timedelta(days=1), "reason": MOVE_REASON}
    return {"sign_off": True}


def _appeal_state(appeal: Appeal) -> tuple:
    row = Appeal.objects.get(pk=appeal.pk)
    return (
        row.status, row.version, row.outcome, row.answer, row.answered_by_id, row.due_on,
        row.extended_on, row.extension_reason, row.closed_on, row.signed_off_by_id,
        list(row.steps.values_list("action", "note")),
    )  # fmt: skip


def _assert_moved(before: Appeal, earlier: tuple, move: str, actor) -> None:
    """Check the appeal now stands exactly where the move takes it, and nothing else moved;
    before is the appeal as read before the move, earlier its state then."""
    today = timezone.localdate()
    (status, version, outcome, answer, answered_by, due_on, extended_on, reason, closed_on,
     signed_off_by, steps) = _appeal_state(before)  # fmt: skip
    assert version == before.version + 1
    earlier = earlier[-1]
    expected = {
        "answer": ("answer_prepared", "resolved_fully", MOVE_ANSWER, actor.pk, before.due_on,
                   None, "", None, None, ("answer", "")),
        "return": ("in_work", "resolved_fully", MOVE_ANSWER, before.answered_by_id,
                   before.due_on, None, "", None, None, ("return", MOVE_NOTE)),
        "extend": ("in_work", "", "", None, before.due_on + timedelta(days=1), today,
                   MOVE_REASON, None, None, ("extend", MOVE_REASON)),
        "close": ("closed", "resolved_fully", MOVE_ANSWER, before.answered_by_id, before.due_on,
                  None, "", today, actor.pk, ("close", "")),
    }[move]  # fmt: skip
    assert (
        status, outcome, answer, answered_by, due_on, extended_on, reason, closed_on,
        signed_off_by, steps[len(earlier):],
    ) == (*expected[:-1], [expected[-1]])  # fmt: skip
    assert steps[: len(earlier)] == earlier


def run_appeal_move(client, cast, channel: str, move: str, user) -> str:
    from django.core.exceptions import PermissionDenied

    from tamyr.appeals.services import appeal_move

    appeal = _appeal_for_move(cast, move)
    body = _move_body(move, appeal)
    before = _appeal_state(appeal)
    if channel == "service":
        try:
            appeal_move(actor=user, appeal=appeal, version=appeal.version, action=move, **body)
        except PermissionDenied:
            assert _appeal_state(appeal) == before
            return "denied"
        _assert_moved(appeal, before, move, user)
        return "done"
    if channel == "page":
        detail = reverse("appeals:detail", args=[appeal.pk])
        page = client.get(detail)
        offered = (
            ("form" if move in page.context["forms"] else "none")
            if page.status_code == 200
            else str(page.status_code)
        )
        form = {**body, "action": move, "version": appeal.version}
        if move == "close":
            form["sign_off"] = "on"
        response = client.post(detail, form)
        moved = response.status_code == 302
        assert not moved or response.url == detail
    else:
        response = client.post(
            reverse("api:appeal-move", args=[appeal.pk]),
            {**body, "action": move, "version": appeal.version},
            content_type="application/json",
        )
        moved = response.status_code == 200
        if moved:
            assert response.json()["status"] == _appeal_state(appeal)[0]
    if moved:
        _assert_moved(appeal, before, move, user)
    else:
        assert _appeal_state(appeal) == before
    result = str(response.status_code)
    return f"{offered}:{result}" if channel == "page" else result


@pytest.mark.parametrize(("channel", "move", "user", "expected"), list(_move_cases()))
def test_appeal_move_matrix(client, cast, channel, move, user, expected):
    from django.contrib.auth import get_user_model

    from tamyr.orgs.models import Role
    from tamyr.orgs.services import staff_role_grant

    users = dict(cast["users"])
    # No password: hashing one costs more than the rest of the case, and the client logs in.
    second = get_user_model().objects.create_user("second_operator", "second@example.org")
    staff_role_grant(
        actor=users["national_admin"], user=second, role=Role.RECEPTION_OPERATOR,
        node=cast["nodes"]["D1"],
    )  # fmt: skip
    users["second_operator"] = second
    client.force_login(users[user])
    assert run_appeal_move(client, cast, channel, move, users[user]) == expected
