"""``{% load credits_format %}``: amounts written one way on every page, as the reader's language writes them."""
from django import template

from credits_plugin.api import format_amount

register = template.Library()
register.filter("credit_amount", format_amount)
