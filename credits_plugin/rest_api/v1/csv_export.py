"""CSV downloads that stream: rows are written as they are read, never built in memory."""
import csv
import operator

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


ROWS_PER_CHUNK = 500


def _column(field):
    """(getter, formatter) of one serializer field: the value as the JSON shows it, without a serializer per row."""
    getter = operator.attrgetter(field.source)
    return getter, field.to_representation


def csv_rows(items, serializer_class):
    """
    The header (the serializer's field names, as the JSON has them) then the rows, a chunk at a time.

    Each cell is what the serializer's field makes of the item (same text as the JSON), computed
    field by field: building a serializer per row would cost more than reading the row.
    """
    fields = serializer_class().fields
    names = list(fields)
    columns = [_column(fields[name]) for name in names]
    writer = csv.writer(_Echo())
    yield writer.writerow(names)
    chunk = []
    for item in items:
        cells = []
        for getter, formatter in columns:
            value = getter(item)
            cells.append(_cell(None if value is None else formatter(value)))
        chunk.append(writer.writerow(cells))
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


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
