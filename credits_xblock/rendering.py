"""
Templates and static files of the ``course_credits`` XBlock.

HTML templates live in the repository's top-level ``templates/credits_xblock/`` (the one
home of every template, found through ``credits_plugin.templates_dir()``); CSS and JS ship
in ``credits_xblock/static/`` and are read with ``importlib.resources``, so they work from
a wheel, an editable checkout, and in runtimes that serve no static files (they are put
into the Fragment inline).

Templates render with the block's own Django ``Engine`` (autoescape on), whatever the
runtime's template settings. ``{% trans %}`` goes through XBlock's i18n tag library, which
translates with the runtime's ``i18n`` service (passed as ``_i18n_service``) on top of
Django's catalogs.
"""
import functools
import hashlib
import importlib.resources

from django.template import Context, Engine

try:  # web-fragments, a dependency of XBlock 5.x (bundled from XBlock 6.2)
    from web_fragments.fragment import Fragment
except ImportError:  # releases that stop shipping it separately keep the xblock.fragment alias
    from xblock.fragment import Fragment

STATIC_PACKAGE = "credits_xblock"
CSS = "static/css/course_credits.css"


@functools.lru_cache(maxsize=1)
def template_engine():
    """A Django template engine over the plugin's template folder."""
    from credits_plugin import templates_dir  # pylint: disable=import-outside-toplevel

    return Engine(
        dirs=[str(templates_dir())],
        autoescape=True,
        libraries={"i18n": "xblock.utils.templatetags.i18n", "l10n": "django.templatetags.l10n",
                   "credits_format": "credits_xblock.format_tags"},
    )


def render(template_name, context, i18n_service=None):
    """Render one of the XBlock's templates (autoescaped), translating with the i18n service."""
    context = dict(context, _i18n_service=i18n_service)
    return template_engine().get_template(template_name).render(Context(context))


@functools.cache
def static_text(path):
    """The text of a file under ``credits_xblock/static``."""
    return importlib.resources.files(STATIC_PACKAGE).joinpath(path).read_text(encoding="utf-8")


def dom_id(usage_id):
    """A short id for HTML ``id`` attributes, unique per block on a page."""
    return "course-credits-" + hashlib.sha1(str(usage_id).encode("utf-8")).hexdigest()[:10]


def fragment(html, js=None, init=None, init_args=None):
    """A Fragment with the block's CSS, and its script initialised with ``init_args``."""
    frag = Fragment(html)
    frag.add_css(static_text(CSS))
    if js:
        frag.add_javascript(static_text(js))
        frag.initialize_js(init, init_args or {})
    return frag
