"""
The public verification page of one award: /credits/awards/<uuid>/ (what an accrediting body opens).

It offers the award's Open Badges credential for download (JSON and VC-JWT) and checks a credential
someone pastes or uploads (a POST to the same page): valid, revoked, expired or invalid, with the reason.
"""
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from credits_plugin import api
from credits_plugin.views.frame import render_page

MAX_CREDENTIAL_BYTES = 256 * 1024  # a credential is a few kilobytes; a record of hundreds stays far below


@require_http_methods(["GET", "POST"])
def award_page(request, award_uuid):
    try:
        award = api.get_public_award(award_uuid)
    except api.CreditsNotFound as exc:
        raise Http404(exc.message) from exc
    context = {"award": award, "credentials_available": award.status == "awarded" and api.credentials_available()}
    status = 200
    if request.method == "POST":
        submitted, error = _submitted(request)
        if error:
            context["verify_error"], status = error, 400
        else:
            verification = api.verify_credential(submitted, api.site_root(request))
            context["verification"] = verification
            # A credential of another award checks out on its own, not as this page's award.
            other = verification.get("award")
            context["other_award"] = other if other and other != str(award.uuid) else None
        context["submitted"] = request.POST.get("credential", "")[:MAX_CREDENTIAL_BYTES]
    response = render_page(request, "credits_plugin/pages/award.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    return response


def _submitted(request):
    """``(text, error)``: the pasted credential, else the uploaded file's text."""
    upload = request.FILES.get("credential_file")
    if upload is not None:
        if upload.size > MAX_CREDENTIAL_BYTES:
            return None, _("This file is larger than a credential can be (256 KB).")
        try:
            return upload.read().decode("utf-8"), None
        except UnicodeDecodeError:
            return None, _("This file is not text: choose the .json or .jwt file of a credential.")
    text = request.POST.get("credential", "").strip()
    if not text:
        return None, _("Paste a credential, or choose its file.")
    if len(text.encode("utf-8")) > MAX_CREDENTIAL_BYTES:
        return None, _("This is larger than a credential can be (256 KB).")
    return text, None
