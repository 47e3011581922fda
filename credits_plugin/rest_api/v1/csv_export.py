"""CSV downloads that stream: rows are written as they are read, never built in memory."""
import itertools
import operator

from django.http import StreamingHttpResponse
from django.utils import translation
from rest_framework.renderers import BaseRenderer

from credits_plugin.csv_text import FORMULA_STARTS, guarded, writer


class CSVRenderer(BaseRenderer):
    """Lets DRF accept ?format=csv; the views answer it with a streaming response of their own."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        # Never used for content: the CSV streams, and errors are rendered as JSON.
        raise NotImplementedError("CSV is streamed by csv_response()")


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

    def cells(item):
        for getter, formatter in columns:
            value = getter(item)
            yield _cell(None if value is None else formatter(value))

    return _chunks(names, ([*cells(item)] for item in items))


def csv_text_rows(header, rows):
    """The header then ``rows`` (sequences of text, already as the JSON writes them, each cell guarded), in chunks."""
    guard = FORMULA_STARTS
    return _chunks(header, ([("'" + cell) if cell[:1] in guard else cell for cell in row] for row in rows))


def _chunks(header, rows):
    return _line_chunks(map(writer().writerow, itertools.chain([header], rows)))


def _line_chunks(lines):
    """``lines`` (CSV text) joined ROWS_PER_CHUNK at a time."""
    chunk = []
    for line in lines:
        chunk.append(line)
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    if chunk:
        yield "".join(chunk)


def _cell(value):
    """Plain text for a spreadsheet: a leading =, +, -, @, tab or CR cannot start a formula (``guarded``)."""
    return "" if value is None else guarded(str(value))


def _in_language(chunks, language):
    """
    The chunks, each made in ``language`` (the request's): a streamed response is read after its
    view returned, and names and headers are shown in the reader's language (ADR 0011).
    """
    chunks = iter(chunks)
    while True:
        with translation.override(language):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def csv_lines_response(lines, filename):
    """A download of ``lines``: the header's, then each row's, already CSV text (``credits_plugin.csv_text``)."""
    return _response(_line_chunks(lines), filename)


def csv_response(items, serializer_class, filename):
    return _response(csv_rows(items, serializer_class), filename)


def csv_text_response(header, rows, filename):
    return _response(csv_text_rows(header, rows), filename)


def _response(content, filename):
    response = StreamingHttpResponse(_in_language(content, translation.get_language()),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
