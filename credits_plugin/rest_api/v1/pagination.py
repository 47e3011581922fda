"""Page-number pagination of the API's lists: ?page=N&page_size=M."""
import math

from django.utils.translation import gettext as _
from rest_framework.response import Response

from credits_plugin import api

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def page_params(request):
    """(page, page_size) from the query string; a 400 for anything that is not a positive number."""
    values = {}
    for name, default in (("page", 1), ("page_size", DEFAULT_PAGE_SIZE)):
        raw = request.query_params.get(name)
        try:
            value = default if raw in (None, "") else int(raw)
        except ValueError:
            value = 0
        if value < 1:
            raise api.CreditsValidationError(_("{name} must be a whole number of 1 or more.").format(name=name),
                                             field_errors={name: [_("Use a whole number of 1 or more.")]})
        values[name] = value
    return values["page"], min(values["page_size"], MAX_PAGE_SIZE)


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
