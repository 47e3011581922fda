"""
The plugin's pages inside the platform's own page.

Every page template extends ``credits_plugin/_page.html``, which extends the page the platform
backend names (the LMS's ``main_django.html``, Studio's frame, the demo's stand-ins): the site's
header, navigation, theme and footer around the plugin's content, and links back.
"""
from django.shortcuts import render

from credits_plugin import api


def render_page(request, template_name, context, *, surface="lms", back_links=(), status=200):
    """Render a plugin page in the platform's frame; ``back_links`` are (label, URL) pairs."""
    context = {**context, "credits_base_template": api.get_page_base_template(surface),
               "back_links": [(label, url) for label, url in back_links if url]}
    return render(request, template_name, context, status=status)
