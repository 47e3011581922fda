"""Page-number pagination of the API's lists: ?page=N&page_size=M."""
import math

from django.utils.translation import gettext as _
from rest_framework.response import Response

from credits_plugin import api

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
# Far past any real list (500 million awards at the largest page size), and small enough that the
# database's OFFSET never overflows.
MAX_PAGE = 1_000_000


def page_params(request):
    """(page, page_size) from the query string; a 400 for anything that is not a whole number in range."""
    page = _whole_number(request, "page", 1, MAX_PAGE)
    page_size = _whole_number(request, "page_size", DEFAULT_PAGE_SIZE, None)
    return page, min(page_size, MAX_PAGE_SIZE)


def cursor_params(request):
    """(after, page_size) of a list read in id order: ``?after=<the last id seen>&page_size=M``."""
    after = (request.query_params.get("after") or "").strip()
    return (_whole_number(request, "after", None, None) if after else None,
            min(_whole_number(request, "page_size", DEFAULT_PAGE_SIZE, None), MAX_PAGE_SIZE))


def _whole_number(request, name, default, maximum):
    raw = (request.query_params.get(name) or "").strip()
    if not raw:
        return default
    value = api.parse_id(raw) if raw.isdigit() else None  # 1 to 2**63-1; "1.5", "-1", "1e3" are refused
    if value is not None and (maximum is None or value <= maximum):
        return value
    if maximum is None:
        message, field_message = (_("{name} must be a whole number of 1 or more.").format(name=name),
                                  _("Use a whole number of 1 or more."))
    else:
        message, field_message = (_("{name} must be a whole number from 1 to {maximum}.").format(
            name=name, maximum=maximum), _("Use a whole number from 1 to {maximum}.").format(maximum=maximum))
    raise api.CreditsValidationError(message, field_errors={name: [field_message]})


def page_response(request, total, items, serializer_class, page, page_size):
    num_pages = max(1, math.ceil(total / page_size))

    def link(number):
        if number < 1 or number > num_pages:
            return None
        query = request.query_params.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return Response({
        "count": total, "num_pages": num_pages, "current_page": page,
        "next": link(page + 1), "previous": link(page - 1),
        "results": serializer_class(items, many=True).data,
    })


def paginate(request, items, serializer_class):
    """Paginate a list already in memory (credit types, credits)."""
    page, page_size = page_params(request)
    items = list(items)
    start = (page - 1) * page_size
    return page_response(request, len(items), items[start:start + page_size], serializer_class, page, page_size)
