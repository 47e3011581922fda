"""The public verification page of one award: /credits/awards/<uuid>/ (what an accrediting body opens)."""
from django.http import Http404
from django.views.decorators.http import require_GET

from credits_plugin import api
from credits_plugin.views.frame import render_page


@require_GET
def award_page(request, award_uuid):
    try:
        award = api.get_public_award(award_uuid)
    except api.CreditsNotFound as exc:
        raise Http404(exc.message) from exc
    response = render_page(request, "credits_plugin/pages/award.html", {"award": award})
    response["X-Robots-Tag"] = "noindex"
    return response
