"""CSV downloads that stream: rows are written as they are read, never built in memory."""
import csv

from django.http import StreamingHttpResponse
from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    """Lets DRF accept ?format=csv; the views answer it with a streaming response of their own."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Never used for content: the CSV streams, and errors are rendered as JSON.
        raise NotImplementedError("CSV is streamed by csv_response()")


class _Echo:
    """A file-like object whose write returns what it was given, for csv.writer."""

    def write(self, value):
        return value


def csv_rows(items, serializer_class):
    """The header (the serializer's field names, as the JSON has them) then one row per item."""
    fields = list(serializer_class().fields)
    writer = csv.writer(_Echo())
    yield writer.writerow(fields)
    for item in items:
        data = serializer_class(item).data
        yield writer.writerow([_cell(data[name]) for name in fields])


def _cell(value):
    """Plain text for a spreadsheet; a leading =, +, - or @ cannot start a formula."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        text = "'" + text
    return text


def csv_response(items, serializer_class, filename):
    response = StreamingHttpResponse(csv_rows(items, serializer_class), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
