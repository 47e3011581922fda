"""
CSV text as the downloads write it (``csv.writer``'s dialect: comma, double quotes where needed,
CRLF), and the guard that keeps a spreadsheet from reading a cell people wrote as a formula.
Shared by the REST layer's streamed downloads and the services that write a report's lines
themselves (the compliance report), so both write the same text.
"""
import csv
import re

# A spreadsheet reads a cell starting with one of these as a formula.
FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))
# What makes csv.writer (QUOTE_MINIMAL) quote a cell: the delimiter, the quote, a line end.
needs_quotes = re.compile(r'[",\r\n]').search


class _Echo:
    """A file-like object whose write returns what it was given, for csv.writer."""

    def write(self, value):
        return value


def writer():
    """A csv.writer whose ``writerow`` returns the row's line instead of writing it."""
    return csv.writer(_Echo())


def guarded(text):
    """Text people wrote, as a cell a spreadsheet shows as text: a leading =, +, -, @, tab or CR is escaped."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def free_text_cell(text):
    """A cell of text people wrote (guarded), quoted as csv.writer would quote it."""
    text = guarded(text)
    if needs_quotes(text):
        return '"' + text.replace('"', '""') + '"'
    return text
