"""The status API: GET /api/applications.json[?as_of=YYYY-MM-DD] (docs/api.md)."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications import selectors
from applications.interchange import parse_date
from applications.models import EARLIEST_DATE, LATEST_DATE


@login_not_required  # a script gets a JSON 401, not a redirect to an HTML login page
@require_GET
def applications_json(request):
    if not request.user.is_authenticated:
        return JsonResponse(
            {"error": _("Sign in first: this API answers for your session.")}, status=401
        )
    prefs = selectors.preferences_get(user=request.user)
    as_of_text = request.GET.get("as_of")
    if as_of_text is None:
        as_of = selectors.local_today(prefs=prefs)
    else:
        as_of = parse_date(as_of_text)
        if as_of is None or not EARLIEST_DATE <= as_of <= LATEST_DATE:
            return JsonResponse(
                {"error": _("as_of must be a date written YYYY-MM-DD, like 2026-12-10.")},
                status=400,
            )
    rows = selectors.application_rows(
        user=request.user, as_of=as_of, rules=selectors.rules_from(prefs)
    )
    detail_url = reverse("application_detail", args=[0]).removesuffix("0/")
    return JsonResponse(
        {
            "as_of": as_of.isoformat(),
            "applications": [
                {
                    "id": row.id,
                    "company": row.company,
                    "role": row.role,
                    "status": row.status.code,
                    "next_action_date": (
                        row.status.next_action_date.isoformat()
                        if row.status.next_action_date
                        else None
                    ),
                    "reason": row.status.reason,
                    "url": f"{detail_url}{row.id}/",
                }
                for row in rows
            ],
        },
        json_dumps_params={"ensure_ascii": False},
    )
