"""
The learner dashboard micro-frontend as learners on Ulmo and Verawood see it, against the demo's data.

``/learner-dashboard/`` serves the widget harness that ``npm run build:harness`` builds into
``frontend/dist-harness/`` (the plugin's real widgets, Paragon's CSS) in its live mode: each
course card of ``/api/learner_home/init`` with its credits, and the credits sidebar, both asking
the demo's own API with the signed-in learner's session. Without npm the harness is not built;
the page then says how to build it (``make demo`` needs only Python).
"""
import json
import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.views.decorators.http import require_GET

HARNESS = Path(settings.REPO_DIR) / "frontend" / "dist-harness"


def harness_built():
    return (HARNESS / "index.html").is_file()


@login_required
@require_GET
def page(request):
    if not harness_built():
        return render(request, "demo/learner_dashboard_missing.html", status=503)
    live = {"username": request.user.username, "lms": request.build_absolute_uri("/").rstrip("/")}
    # The user's name goes into a script: JSON, with "<" escaped so it can never close the element.
    script = "<script>window.creditsLive = %s;</script>" % json.dumps(live).replace("<", "\\u003c")
    html = (HARNESS / "index.html").read_text(encoding="utf-8")
    html = html.replace("<title>", "<title>" + escape("Learner dashboard · "), 1)
    return HttpResponse(html.replace("</head>", script + "</head>", 1))


@require_GET
def asset(request, name):
    """The harness's built files (``assets/...``), and nothing outside that folder."""
    folder = (HARNESS / "assets").resolve()
    path = (folder / name).resolve()
    if folder not in path.parents or not path.is_file():
        raise Http404("No such file.")
    return FileResponse(path.open("rb"), content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream")
